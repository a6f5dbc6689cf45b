import YAML

/// Resources in build order, and the only place a resource's identity changes.
///
/// The map keeps two indexes right through every rename, move and merge: one
/// by current id (to refuse duplicates) and one by every name a resource has
/// had (for patches, generators, replicas, replacements and vars, which look
/// resources up by name). Look-ups and duplicate checks therefore cost the same
/// for four resources or four thousand. `Resource` lives in this file so that
/// its identity (the type, name and namespace the map indexes, and its earlier
/// ids) can be set by the map alone: a transformer edits a resource's object
/// inside `update`, which re-reads the identity from it afterwards.
public struct ResourceMap: Sendable {
  public private(set) var resources: [Resource] = []
  /// Current id → resource, for every settled resource.
  private var byID: [ResourceID: Resource] = [:]
  /// Every name a resource held while in this map → that resource (a superset:
  /// look-ups re-check what they find, so names left behind cost nothing).
  private var byName: [String: Resource] = [:]
  /// The further resources of a name held by more than one (rare; kept apart so
  /// that the common case costs no array per name).
  private var byNameMore: [String: [Resource]] = [:]
  /// Each resource's rank in build order; absent once removed.
  private var rank: [ObjectIdentifier: Int] = [:]
  private var nextRank = 0
  /// Resources whose id changed since the last `settle`, in the order they changed,
  /// with the id they were indexed under.
  private var unsettled: [(resource: Resource, indexedAs: ResourceID?)] = []
  private var unsettledSet: Set<ObjectIdentifier> = []

  public init() {}

  public var count: Int { resources.count }
  public var isEmpty: Bool { resources.isEmpty }

  /// Adds a resource; one whose id is already present is an error, as in kustomize.
  public mutating func append(_ resource: Resource) throws(Diagnostic) {
    // Ids changed by a transformer are settled first, so the index is current (a no-op after the pipeline's own settle).
    try settle(after: "the last transformer")
    let key = resource.id.key
    if let existing = byID[key] {
      throw Diagnostic(
        resource.source, "may not add resource with an already registered id: \(resource.id)",
        notes: [Diagnostic.Note(existing.source, "first defined here")])
    }
    byID[key] = resource
    rank[ObjectIdentifier(resource)] = nextRank
    nextRank += 1
    indexNames(of: resource)
    resources.append(resource)
  }

  public mutating func append(contentsOf other: ResourceMap) throws(Diagnostic) {
    // Into an empty map (a kustomization whose only resource is another), the other map is taken whole.
    if resources.isEmpty, byName.isEmpty, unsettled.isEmpty, other.unsettled.isEmpty {
      self = other
      return
    }
    for resource in other.resources { try append(resource) }
  }

  /// The resources that have, or once had, `name`, in build order.
  public func resources(named name: String) -> [Resource] {
    guard let first = byName[name] else { return [] }
    let found = [first] + (byNameMore[name] ?? [])
    var seen: Set<ObjectIdentifier> = []
    let present = found.filter { rank[ObjectIdentifier($0)] != nil && seen.insert(ObjectIdentifier($0)).inserted }
    return present.count < 2 ? present : present.sorted { order(of: $0) < order(of: $1) }
  }

  /// The resources with any id that `matches` accepts, found by `name` when there is one.
  public func resources(named name: String?, where matches: (ResourceID) -> Bool) -> [Resource] {
    let candidates = name.map { resources(named: $0) } ?? resources
    return candidates.filter { $0.allIDs.contains(where: matches) }
  }

  /// Renames a resource, remembering the id it had.
  public mutating func rename(_ resource: Resource, to name: String) {
    update(resource, keepingPreviousID: true) { (resource) throws(Never) in
      resource.object.mapping(creating: "metadata")["name"] = .scalar(.string(name))
    }
  }

  /// Lets `change` edit a resource's object, then re-reads its identity and
  /// keeps the indexes right. With `keepingPreviousID`, the id before the edit
  /// is remembered, so that references to it can still be found.
  public mutating func update<Failure: Error>(
    _ resource: Resource, keepingPreviousID: Bool = false, _ change: (Resource) throws(Failure) -> Void
  ) throws(Failure) {
    let before = resource.id
    if keepingPreviousID { resource.storePreviousID() }
    defer {
      resource.refreshIdentity()
      if resource.id != before { changed(resource, from: before) }
    }
    try change(resource)
  }

  /// Takes a resource out (a patch deleted it).
  public mutating func remove(_ resource: Resource) {
    guard let position = position(of: resource) else { return }
    unindexID(of: resource)
    rank[ObjectIdentifier(resource)] = nil
    resources.remove(at: position)
  }

  /// Where a resource stands in `resources`: ranks grow along the list, so a binary search finds it.
  private func position(of resource: Resource) -> Int? {
    guard let wanted = rank[ObjectIdentifier(resource)] else { return nil }
    var low = 0
    var high = resources.count
    while low < high {
      let middle = (low + high) / 2
      if order(of: resources[middle]) < wanted { low = middle + 1 } else { high = middle }
    }
    return low < resources.count && resources[low] === resource ? low : nil
  }

  /// Takes a resource's entry out of the id index, whether or not its id changed since the last settle.
  private mutating func unindexID(of resource: Resource) {
    let identifier = ObjectIdentifier(resource)
    if unsettledSet.remove(identifier) != nil, let pending = unsettled.firstIndex(where: { $0.resource === resource }) {
      if let indexed = unsettled[pending].indexedAs, byID[indexed] === resource { byID[indexed] = nil }
      unsettled.remove(at: pending)
    } else if byID[resource.id.key] === resource {
      byID[resource.id.key] = nil
    }
  }

  /// Checks, after a transformer ran, that the ids it changed are still
  /// unique, and brings the id index up to date. It costs the number of
  /// resources changed, so the pipeline calls it after every step.
  public mutating func settle(after transformation: String) throws(Diagnostic) {
    guard !unsettled.isEmpty else { return }
    let changed = unsettled.filter { rank[ObjectIdentifier($0.resource)] != nil }
    unsettled.removeAll(keepingCapacity: true)
    unsettledSet.removeAll(keepingCapacity: true)
    for (resource, indexedAs) in changed {
      if let indexedAs, byID[indexedAs] === resource { byID[indexedAs] = nil }
    }
    for (resource, _) in changed {
      let key = resource.id.key
      if let other = byID[key], other !== resource {
        let (first, second) = order(of: other) < order(of: resource) ? (other, resource) : (resource, other)
        throw Diagnostic(
          second.source, "\(transformation) gives two resources the same id: \(resource.id)",
          notes: [Diagnostic.Note(first.source, "the other resource")])
      }
      byID[key] = resource
    }
  }

  /// Adds a generated resource by its behavior: `create` appends it; `merge`
  /// and `replace` put it in the place of the resource it names (matched by
  /// any id that resource has had), merging data for `merge`.
  public mutating func absorb(
    _ resource: Resource, behavior: Kustomization.Generator.Behavior, at mark: Mark
  ) throws(Diagnostic) {
    try settle(after: "the last transformer")
    let id = resource.id
    let matches = resources(named: id.name) { $0.gvk == id.gvk && $0.name == id.name && $0.isNamespaceEqual(id) }
    switch matches.count {
    case 0:
      guard behavior == .create else {
        throw Diagnostic(
          mark,
          "\(id.gvk.kind) '\(id.name)' has behavior '\(behavior.rawValue)' but there is no \(id.gvk.kind) of that name to \(behavior.rawValue) with"
        )
      }
      try append(resource)
    case 1:
      let old = matches[0]
      switch behavior {
      case .create:
        throw Diagnostic(
          mark, "\(id.gvk.kind) '\(id.name)' already exists (from \(old.source)); use behavior 'merge' or 'replace'")
      case .merge:
        for field in ["data", "binaryData"] {
          guard let oldData = old.object[field]?.mapping else { continue }
          let merged = oldData.deepCopy()
          // Merged data is a map of strings: a value written as 0123 or yes stays that text, quoted.
          for index in merged.entries.indices {
            if case .scalar(let scalar) = merged.entries[index].value, scalar.kind != .string {
              merged.entries[index].value = .scalar(.string(scalar.value, mark: scalar.mark))
            }
          }
          if let newData = resource.object[field]?.mapping {
            for entry in newData.entries { merged[entry.key.value] = entry.value }
          }
          resource.object[field] = .mapping(merged)
        }
        resource.takePlace(of: old)
        resource.origin = old.origin
      case .replace:
        resource.takePlace(of: old)
      }
      guard let index = position(of: old), let oldRank = rank.removeValue(forKey: ObjectIdentifier(old)) else { return }
      unindexID(of: old)
      resources[index] = resource
      rank[ObjectIdentifier(resource)] = oldRank
      byID[resource.id.key] = resource
      indexNames(of: resource)
    default:
      let ids = matches.map(\.id.description).joined(separator: ", ")
      throw Diagnostic(mark, "several resources could take the \(behavior.rawValue) of \(id): \(ids)")
    }
  }

  /// Puts the resources in a new order (same set).
  public mutating func reorder(_ ordered: [Resource]) {
    resources = ordered
    for (position, resource) in resources.enumerated() { rank[ObjectIdentifier(resource)] = position }
    nextRank = resources.count
  }

  private func order(of resource: Resource) -> Int {
    rank[ObjectIdentifier(resource)] ?? Int.max
  }

  private mutating func index(_ resource: Resource, as name: String) {
    if let first = byName[name] {
      if first !== resource { byNameMore[name, default: []].append(resource) }
    } else {
      byName[name] = resource
    }
  }

  private mutating func indexNames(of resource: Resource) {
    guard !resource.previousIDs.isEmpty else {
      index(resource, as: resource.name)
      return
    }
    var names: Set<String> = []
    for id in resource.allIDs where names.insert(id.name).inserted {
      index(resource, as: id.name)
    }
  }

  private mutating func changed(_ resource: Resource, from before: ResourceID) {
    let identifier = ObjectIdentifier(resource)
    guard rank[identifier] != nil else { return }
    if unsettledSet.insert(identifier).inserted {
      let key = before.key
      unsettled.append((resource, byID[key] === resource ? key : nil))
    }
    if resource.name != before.name { index(resource, as: resource.name) }
  }
}

/// One Kubernetes object being built: its tree, plus the build state kustomize
/// keeps in annotations (previous ids, applied prefixes), held here as fields.
///
/// Its identity (type, name, namespace, previous ids) is read from the tree
/// and changes only through its `ResourceMap`, which keeps its indexes right.
public final class Resource: @unchecked Sendable {
  public var object: Mapping
  /// Where the object was read, for messages.
  public let source: Mark
  public fileprivate(set) var gvk: GVK
  public fileprivate(set) var name: String
  public fileprivate(set) var namespace: String
  /// Ids stored before transformers renamed or moved the resource, oldest first
  /// (namespaces spelled effectively, `default` for none), as kustomize keeps them.
  public fileprivate(set) var previousIDs: [ResourceID] = []
  /// Name prefixes and suffixes applied to it, innermost first.
  public private(set) var prefixes: [String] = []
  public private(set) var suffixes: [String] = []
  /// Set on generated ConfigMaps and Secrets whose names get a content hash at the end.
  public var needsHashSuffix = false
  /// Where the resource came from, for `buildMetadata: [originAnnotations]`.
  public var origin: Origin?
  /// The transformers that ran over it, for `buildMetadata: [transformerAnnotations]`.
  public var transformations: [Origin] = []
  /// Values kustomize would hold once for several fields (see `SharedValue`).
  var sharedValues: [SharedValue] = []

  /// A file a resource was read from, or the kustomization entry that made or changed it.
  public enum Origin: Sendable, Equatable {
    case file(String)
    /// Made or changed by a builtin generator or transformer, configured in a
    /// file; a plugin configuration also gives its name and namespace.
    case builtin(configuredIn: String, kind: String, name: String = "", namespace: String = "")
  }

  public init(object: Mapping, source: Mark) {
    self.object = object
    self.source = source
    gvk = GVK()
    name = ""
    namespace = ""
    refreshIdentity()
  }

  public var id: ResourceID { ResourceID(gvk: gvk, name: name, namespace: namespace) }

  /// The id the resource was first read or generated with.
  public var originalID: ResourceID { previousIDs.first ?? id }

  /// Every id it has had, the current one last.
  public var allIDs: [ResourceID] { previousIDs + [id] }

  public var metadata: Mapping? { object["metadata"]?.mapping }

  /// Remembers the current id before a transformer changes it, so that name
  /// references written against the old name can be found.
  fileprivate func storePreviousID() {
    var current = id
    current.namespace = current.effectiveNamespace
    previousIDs.append(current)
  }

  /// Re-reads kind, name and namespace from the tree after an edit that may have changed them.
  fileprivate func refreshIdentity() {
    gvk = GVK(apiVersion: object["apiVersion"]?.scalar?.value ?? "", kind: object["kind"]?.scalar?.value ?? "")
    let metadata = self.metadata
    name = metadata?["name"]?.scalar?.value ?? ""
    namespace = metadata?["namespace"]?.scalar?.value ?? ""
  }

  /// Takes over an existing resource's place, as a generator with `merge` or
  /// `replace` behavior does: its name, namespace and build history, its
  /// labels and annotations under the new ones.
  fileprivate func takePlace(of old: Resource) {
    for field in ["labels", "annotations"] {
      guard let oldPairs = old.metadata?[field]?.mapping else { continue }
      let merged = oldPairs.deepCopy()
      if let newPairs = metadata?[field]?.mapping {
        for entry in newPairs.entries { merged[entry.key.value] = entry.value }
      }
      object.mapping(creating: "metadata")[field] = .mapping(merged)
    }
    let metadata = object.mapping(creating: "metadata")
    if old.name != name { metadata["name"] = .scalar(.string(old.name)) }
    if old.namespace.isEmpty {
      metadata["namespace"] = nil
    } else if old.namespace != namespace {
      metadata["namespace"] = .scalar(.string(old.namespace))
    }
    refreshIdentity()
    previousIDs = old.previousIDs
    prefixes = old.prefixes
    suffixes = old.suffixes
    needsHashSuffix = needsHashSuffix && old.needsHashSuffix
    transformations = old.transformations
  }

  public func recordPrefix(_ prefix: String) {
    if !prefix.isEmpty { prefixes.append(prefix) }
  }

  public func recordSuffix(_ suffix: String) {
    if !suffix.isEmpty { suffixes.append(suffix) }
  }
}
