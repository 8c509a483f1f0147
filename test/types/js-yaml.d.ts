// js-yaml ships no types of its own; this is the one function the tests use.
declare module 'js-yaml' {
  /** Parses one YAML document; throws on malformed YAML. */
  export function load(text: string): unknown
}
