export * from './domain';
export * from './wish-machine';
export * from './errors';
export * from './api';
export * from './mask';
export * from './access';
export * from './privacy';
export * from './integrity';
