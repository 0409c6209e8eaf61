export declare const SCHEMA_FILES: string[];
export declare function jsonSchema(file: string): string;
