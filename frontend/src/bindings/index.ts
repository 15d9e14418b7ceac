export * from './errors'
export type * from './models'
