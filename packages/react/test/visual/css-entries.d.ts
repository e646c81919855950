// The package's CSS entries, imported by each story file as a host app imports them (TypeScript checks side-effect
// imports, and has no types for a stylesheet).
declare module '@entra-share/react/styles.css'
declare module '@entra-share/react/bulk.css'
declare module '@entra-share/react/guest-access.css'
