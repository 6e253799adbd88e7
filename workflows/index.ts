export * from './approval-round';
