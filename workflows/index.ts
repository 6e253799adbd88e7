export * from './approval-round';
export * from './daily-summary';
