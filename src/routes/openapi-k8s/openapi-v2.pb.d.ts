// Types for the generated encoder (openapi-v2.pb.js): only what podgate calls.
import type { Writer } from 'protobufjs/minimal.js';

export declare const openapi: {
  v2: {
    Document: { encode(message: object, writer?: Writer): { finish(): Uint8Array } };
  };
};
