import YAML

/// kustomize's `ValueAddTransformer` plugin: writes one value into a field of
/// the resources each target selects, or inserts it into a file path held there.
public struct ValueAddTransformer: BuiltinTransformer {
  public static let kind = "ValueAddTransformer"
  public var value: String
  public var targets: [Target]
  public var mark: Mark?
  public var action: String { "adding the value '\(value)'" }

  /// Where the value goes.
  public struct Target: Sendable {
    /// The resources that take it; every resource when nil.
    public var selector: Selector?
    /// A `/`-separated path; `metadata/namespace` moves the resource as the namespace transformer does.
    public var fieldPath: String
    /// 0 sets the field; n > 0 reads the field as a file path and makes the value its n-th element.
    public var filePathPosition: Int
    public var mark: Mark

    public init(selector: Selector? = nil, fieldPath: String, filePathPosition: Int = 0, mark: Mark) {
      self.selector = selector
      self.fieldPath = fieldPath
      self.filePathPosition = filePathPosition
      self.mark = mark
    }
  }

  public init(value: String, targets: [Target], mark: Mark? = nil) {
    self.value = value
    self.targets = targets
    self.mark = mark
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    for target in targets {
      let selected = try target.selector.map { (selector) throws(Diagnostic) in
        try selector.matcher().select(from: resources)
      }
      if target.fieldPath == "metadata/namespace" {
        let namespace = NamespaceTransformer(namespace: value, fieldSpecs: [])
        for resource in selected ?? resources.resources where !resource.gvk.isClusterScoped {
          try resources.update(resource, keepingPreviousID: false, namespace.move)
        }
        try resources.settle(after: action)
        continue
      }
      let path = target.fieldPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      for resource in selected ?? resources.resources {
        try resources.update(resource) { (resource) throws(Diagnostic) in
          try set(path, in: resource.object, position: target.filePathPosition, at: target.mark)
          resource.propagateSharedValues()
        }
      }
    }
  }

  /// Sets the field at `path`, creating the maps on the way.
  private func set(_ path: [String], in object: Mapping, position: Int, at mark: Mark) throws(Diagnostic) {
    var parent = object
    for key in path.dropLast() {
      if let next = parent[key], !next.isNull {
        guard case .mapping(let map) = next else {
          throw Diagnostic(next.mark, "ValueAddTransformer: '\(key)' must be a map, not \(NodeDecoding.describe(next))")
        }
        parent = map
      } else {
        let created = Mapping(mark: .generated)
        parent[key] = .mapping(created)
        parent = created
      }
    }
    guard let last = path.last else { return }
    var current = ""
    if let existing = parent[last] {
      guard case .scalar(let scalar) = existing else {
        throw Diagnostic(
          existing.mark, "ValueAddTransformer: '\(last)' must be a scalar, not \(NodeDecoding.describe(existing))")
      }
      current = scalar.kind == .null ? "" : scalar.value
    }
    let text = position == 0 ? value : Self.insert(value, into: current, at: position)
    parent[last] = .scalar(.string(text))
  }

  /// `value` made the `position`-th element of a file path (after the last when
  /// the path is shorter), the result cleaned as Go's `path.Clean` cleans it:
  /// empty and `.` elements drop out, `..` takes back the element before it,
  /// a leading `/` stays.
  static func insert(_ value: String, into path: String, at position: Int) -> String {
    var parts = path.split(separator: "/").map(String.init)
    parts.insert(value, at: min(position - 1, parts.count))
    let rooted = path.hasPrefix("/")
    var cleaned: [String] = []
    for part in parts.flatMap({ $0.split(separator: "/").map(String.init) }) where part != "." {
      if part == ".." {
        if let last = cleaned.last, last != ".." {
          cleaned.removeLast()
        } else if !rooted {
          cleaned.append(part)
        }
      } else {
        cleaned.append(part)
      }
    }
    let joined = (rooted ? "/" : "") + cleaned.joined(separator: "/")
    return joined.isEmpty ? "." : joined
  }
}
