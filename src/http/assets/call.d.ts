export declare const NETWORK_LOST: string;
export declare function postJson(url: string, body: unknown, csrf: string): Promise<any>;
