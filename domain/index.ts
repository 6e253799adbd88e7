export * from './errors';
export * from './item-types';
export * from './items';
export * from './permissions';
export * from './statuses';
export * from './erp-profiles';
