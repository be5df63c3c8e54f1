export declare const WHEELS: Record<string, string>;
export declare function ensureTemporalBinaries(options?: { log?: (line: string) => void }): { cli: string; testServer: string };
