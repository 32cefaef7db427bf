// Types for the generated decoder (self-reviews.pb.js): only what podgate calls.
interface Decoder<T> {
  decode(bytes: Uint8Array): T;
}
type Strings<K extends string> = { [key in K]?: string | null };

export declare const podgate: {
  kube: {
    Unknown: Decoder<{ raw?: Uint8Array | null; typeMeta?: Strings<'apiVersion' | 'kind'> | null }>;
    SelfSubjectAccessReview: Decoder<{
      spec?: {
        resourceAttributes?: Strings<
          'namespace' | 'verb' | 'group' | 'version' | 'resource' | 'subresource' | 'name'
        > | null;
        nonResourceAttributes?: Strings<'path' | 'verb'> | null;
      } | null;
    }>;
    SelfSubjectRulesReview: Decoder<{ spec?: Strings<'namespace'> | null }>;
  };
};
