/** Types of build-if-changed.mjs, for its test. */
export declare const PACKAGES: string[];
export declare const STAMP: string;
export declare function newest(path: string): number;
export declare function isStale(dir: string): boolean;
export declare function buildChanged(root: string, log?: (line: string) => void): void;
