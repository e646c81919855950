export * from './FluentShareButton/index.js'
export * from './FluentShareWithExternalUser/index.js'
