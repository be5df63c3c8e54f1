// Everything a bureau or an operator may change: runtime settings (environment) and the jurisdiction plan (YAML).
export * from './runtime';
export * from './codec-keys';
export * from './plan';
