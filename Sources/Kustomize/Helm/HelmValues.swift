import YAML

/// The values file kustomize hands to `helm template` when a chart has
/// `valuesInline`: the inline values merged with the chart's own as
/// `valuesMerge` says, written as Go writes a map (keys sorted).
enum HelmValues {
  enum Merge: String {
    /// The inline values win (the default).
    case override
    /// The chart's values win.
    case merge
    /// Only the inline values.
    case replace
  }

  /// The merged values. `chart` is the chart's values file, read as a resource
  /// is (YAML 1.2); `inline` comes from the kustomization, read as kustomize
  /// reads its own files (YAML 1.1: `y` and `on` are booleans, keys included).
  static func merged(inline: Mapping, chart: Mapping?, merge: Merge) -> Mapping {
    let inline = readAsKustomization(inline)
    switch merge {
    case .replace: return inline
    case .override: return apply(inline, onto: (chart ?? Mapping()).deepCopy())
    case .merge: return apply((chart ?? Mapping()).deepCopy(), onto: inline)
    }
  }

  /// kyaml's merge of `source` into `destination`: maps merge key by key, a null
  /// removes the key, anything else (lists included) replaces the old value.
  static func apply(_ source: Mapping, onto destination: Mapping) -> Mapping {
    for entry in source.entries {
      let key = entry.key.value
      if entry.value.isNull {
        destination[key] = nil
      } else if case .mapping(let from) = entry.value, case .mapping(let into)? = destination[key] {
        destination[key] = .mapping(apply(from, onto: into))
      } else {
        destination[key] = entry.value
      }
    }
    return destination
  }

  /// A copy with YAML 1.1's reading of plain scalars, and keys as JSON spells them.
  static func readAsKustomization(_ mapping: Mapping) -> Mapping {
    func scalar(_ scalar: Scalar) -> Scalar {
      switch NodeDecoding.kind(scalar) {
      case .bool: Scalar(ScalarResolver.yaml11BoolValue(scalar.value) ? "true" : "false", kind: .bool)
      case .null: Scalar("null", kind: .null)
      case let kind: Scalar(scalar.value, kind: kind)
      }
    }
    func convert(_ node: Node) -> Node {
      switch node {
      case .scalar(let value): .scalar(scalar(value))
      case .sequence(let sequence): .sequence(SequenceNode(sequence.items.map(convert)))
      case .mapping(let map):
        .mapping(
          Mapping(map.entries.map { Mapping.Entry(key: .string(scalar($0.key).value), value: convert($0.value)) }))
      }
    }
    return convert(.mapping(mapping)).mapping ?? mapping
  }

  /// The values as YAML, every map's keys in byte order, as Go's JSON encoding writes a map.
  static func render(_ values: Mapping) throws(Diagnostic) -> [UInt8] {
    func sorted(_ node: Node) -> Node {
      switch node {
      case .scalar: node
      case .sequence(let sequence): .sequence(SequenceNode(sequence.items.map(sorted)))
      case .mapping(let map):
        .mapping(
          Mapping(
            map.entries.sorted { Array($0.key.value.utf8).lexicographicallyPrecedes(Array($1.key.value.utf8)) }
              .map { Mapping.Entry(key: $0.key, value: sorted($0.value)) }))
      }
    }
    if values.entries.isEmpty { return Array("{}\n".utf8) }
    return try Emitter().emit(sorted(.mapping(values)))
  }
}
