import YAML

/// A strategic merge patch, applied as kustomize applies one.
///
/// Maps merge key by key (`null` deletes a key); lists whose schema declares
/// `patchStrategy: merge` merge by their merge key (or, for lists of scalars,
/// as a union), the patch's items first, then the remaining items of the
/// resource; every other list, and every list of a kind without a schema, is
/// replaced. `$patch: delete`, `$patch: replace` and `$patch: merge` work on
/// maps, list items and whole resources. kustomize passes the other
/// directives (`$retainKeys`, `$setElementOrder/...`,
/// `$deleteFromPrimitiveList/...`) through as ordinary keys, and so does this.
public struct StrategicMergePatch: Sendable {
  public var patch: Mapping

  public init(_ patch: Mapping) {
    self.patch = patch
  }

  /// The result of patching an object: nil when the patch deletes it. A
  /// custom OpenAPI document, when given, replaces the built-in schema.
  public func apply(to object: Mapping, gvk: GVK, openAPI: OpenAPIDocument? = nil) throws(Diagnostic) -> Mapping? {
    let root: MergeSchema? =
      if let openAPI {
        openAPI.root(for: gvk) ?? (openAPI.includesBuiltin ? MergeSchema.builtin(for: gvk) : nil)
      } else {
        MergeSchema.builtin(for: gvk)
      }
    return try StrategicMergePatch.mergeMap(patch, into: object, schema: root)
  }

  static let directive = "$patch"

  static func directive(of mapping: Mapping) -> String? {
    mapping[directive]?.scalar?.value
  }

  /// Merges a patch map into a resource map (nil when the resource has none).
  static func mergeMap(_ patch: Mapping, into dest: Mapping?, schema: MergeSchema?) throws(Diagnostic) -> Mapping? {
    switch directive(of: patch) {
    case "delete":
      return nil
    case "replace":
      return cleaned(patch)
    case nil, "merge":
      break
    case let other?:
      throw Diagnostic(patch[directive]?.mark ?? patch.mark, "unknown patch directive '$patch: \(other)'")
    }
    let result = dest ?? Mapping(mark: patch.mark)
    for entry in patch.entries where entry.key.value != directive {
      let key = entry.key.value
      let merged = try mergeValue(entry.value, into: result[key], field: schema?.field(key))
      result[key] = merged
    }
    if dest != nil { dropEmptyValues(result, except: patch, schema: schema) }
    return result
  }

  /// kustomize's merge walks the whole resource and drops fields left empty
  /// (`key:` with no value), though not an explicit `null` or `~`.
  static func dropEmptyValues(_ map: Mapping, except patch: Mapping?, schema: MergeSchema?) {
    map.entries.removeAll { entry in
      guard patch?[entry.key.value] == nil, case .scalar(let scalar) = entry.value else { return false }
      return scalar.kind == .null && scalar.value.isEmpty && scalar.style == .plain
    }
    for entry in map.entries where patch?[entry.key.value] == nil {
      let field = schema?.field(entry.key.value)
      switch entry.value {
      case .mapping(let child):
        dropEmptyValues(child, except: nil, schema: field?.schema)
      case .sequence(let list):
        guard let field, field.strategy.split(separator: ",").contains("merge"), !field.mergeKey.isEmpty else {
          continue
        }
        for case .mapping(let item) in list.items {
          dropEmptyValues(item, except: nil, schema: field.schema)
        }
      case .scalar:
        break
      }
    }
  }

  static func mergeValue(_ patch: Node, into dest: Node?, field: MergeSchema.Field?) throws(Diagnostic) -> Node? {
    // As kustomize's merge walks both trees, a value may not change between scalar, map and list.
    if let dest, !dest.isNull, !patch.isNull, shape(of: dest) != shape(of: patch) {
      throw Diagnostic(
        patch.mark,
        "wrong node kind: the resource has \(shape(of: dest)) here, the patch \(shape(of: patch)); a patch may not change a value's kind"
      )
    }
    switch patch {
    case .scalar(let scalar):
      if scalar.kind == .null { return nil }
      // The reference's merge gives the patch's value the style the resource
      // wrote there: a quoted (or block) value stays a string (`replicas: "3"`
      // patched with 5 gives "5"), a plain one takes the patch's type (`80%`
      // patched with 0 gives 0).
      if scalar.kind != .string, case .scalar(let old)? = dest, old.kind != .null, old.style != .plain {
        return .scalar(.string(scalar.value, mark: scalar.mark))
      }
      return patch
    case .mapping(let patchMap):
      if field?.strategy == "replace" { return cleaned(patchMap).map(Node.mapping) }
      let destMap: Mapping? = if case .mapping(let map)? = dest { map } else { nil }
      return try mergeMap(patchMap, into: destMap, schema: field?.schema).map(Node.mapping)
    case .sequence(let patchList):
      let destList: SequenceNode? = if case .sequence(let list)? = dest { list } else { nil }
      return .sequence(try mergeList(patchList, into: destList, field: field))
    }
  }

  static func shape(of node: Node) -> String {
    switch node {
    case .scalar: "a scalar"
    case .mapping: "a map"
    case .sequence: "a list"
    }
  }

  static func mergeList(_ patch: SequenceNode, into dest: SequenceNode?, field: MergeSchema.Field?) throws(Diagnostic)
    -> SequenceNode
  {
    // `- $patch: replace` among the items replaces the whole list with the others.
    let replaces = patch.items.contains { item in
      if case .mapping(let map) = item, directive(of: map) == "replace" { return true }
      return false
    }
    let strategy = field?.strategy ?? ""
    guard !replaces, strategy.split(separator: ",").contains("merge"), let dest else {
      return SequenceNode(patch.items.compactMap(cleanedItem), mark: patch.mark)
    }
    guard let key = field?.mergeKey, !key.isEmpty else {
      // A list of scalars that merges: the union, patch values first.
      var seen: Set<String> = []
      var items: [Node] = []
      for item in patch.items + dest.items {
        let value = item.scalar?.value ?? ""
        if seen.insert(value).inserted { items.append(item) }
      }
      return SequenceNode(items, mark: dest.mark)
    }
    if let field, field.listKeys.count > 1 {
      return try mergeMultiKeyList(patch, into: dest, field: field)
    }
    func keyValue(_ item: Node) -> String? { item.mapping?[key]?.scalar?.value }
    // The resource's items by key value, in order: a patch item takes the first
    // one not taken yet, found without scanning the list.
    var positions: [String: [Int]] = [:]
    for (index, item) in dest.items.enumerated() {
      if let value = keyValue(item) { positions[value, default: []].append(index) }
    }
    var taken: [String: Int] = [:]
    var used: Set<Int> = []
    var merged: [Node] = []
    for item in patch.items {
      guard case .mapping(let patchItem) = item, let value = keyValue(item) else {
        if let kept = cleanedItem(item) { merged.append(kept) }
        continue
      }
      var match: Int? = nil
      if let candidates = positions[value], taken[value, default: 0] < candidates.count {
        match = candidates[taken[value, default: 0]]
        taken[value, default: 0] += 1
      }
      if let match { used.insert(match) }
      if directive(of: patchItem) == "delete" { continue }
      let destItem: Mapping? = match.flatMap { dest.items[$0].mapping }
      if let result = try mergeMap(patchItem, into: destItem, schema: field?.schema) {
        merged.append(.mapping(result))
      }
    }
    // `$patch: delete` on an item without a value for the key deletes every
    // item of the resource that has the key at all (kustomize matches the
    // empty value as "the field is there"); items the patch merges stay.
    let deletesEveryKeyed = patch.items.contains { item in
      guard case .mapping(let patchItem) = item else { return false }
      return directive(of: patchItem) == "delete" && (keyValue(item) ?? "").isEmpty
    }
    for (index, item) in dest.items.enumerated() where !used.contains(index) {
      if deletesEveryKeyed, item.mapping?[key] != nil { continue }
      if case .mapping(let map) = item { dropEmptyValues(map, except: nil, schema: field?.schema) }
      merged.append(item)
    }
    return SequenceNode(merged, mark: dest.mark)
  }

  /// Lists keyed by several fields (ports by number and protocol): an item
  /// matches on the keys it gives; items new to the list come first, then the
  /// resource's items in their order, merged. An item that matches several
  /// of the resource's items is dropped, as kustomize drops it.
  static func mergeMultiKeyList(_ patch: SequenceNode, into dest: SequenceNode, field: MergeSchema.Field)
    throws(Diagnostic) -> SequenceNode
  {
    var merged = dest.items.map { Optional($0) }
    var added: [Node] = []
    for item in patch.items {
      guard case .mapping(let patchItem) = item else {
        if let kept = cleanedItem(item) { added.append(kept) }
        continue
      }
      var keys = field.listKeys.filter { !(patchItem[$0]?.scalar?.value ?? "").isEmpty }
      if keys.isEmpty { keys = field.listKeys }
      let matches = dest.items.indices.filter { index in
        keys.allSatisfy { dest.items[index].mapping?[$0]?.scalar?.value == patchItem[$0]?.scalar?.value }
      }
      if directive(of: patchItem) == "delete" {
        for index in matches { merged[index] = nil }
        continue
      }
      switch matches.count {
      case 0:
        if let result = try mergeMap(patchItem, into: nil, schema: field.schema) { added.append(.mapping(result)) }
      case 1:
        let destItem = dest.items[matches[0]].mapping
        merged[matches[0]] = try mergeMap(patchItem, into: destItem, schema: field.schema).map(Node.mapping)
      default:
        continue
      }
    }
    return SequenceNode(added + merged.compactMap { $0 }, mark: dest.mark)
  }

  /// A patch value placed where the resource has nothing: directives resolved, nulls dropped.
  static func cleaned(_ map: Mapping) -> Mapping? {
    (try? mergeMap(map.copyWithoutDirective(), into: nil, schema: nil)) ?? nil
  }

  static func cleanedItem(_ item: Node) -> Node? {
    guard case .mapping(let map) = item else { return item }
    switch directive(of: map) {
    case "delete", "replace": return nil
    default: return cleaned(map).map(Node.mapping)
    }
  }
}

extension Mapping {
  func copyWithoutDirective() -> Mapping {
    Mapping(
      entries.filter { $0.key.value != StrategicMergePatch.directive }.map {
        Mapping.Entry(key: $0.key, value: $0.value.deepCopy())
      }, mark: mark)
  }
}
