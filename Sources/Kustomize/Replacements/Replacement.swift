import YAML

/// One `replacements:` entry: copy a value from one resource's field into fields of others.
public struct Replacement: Sendable {
  /// Picks resources by exact group, version, kind, name and namespace
  /// (matched against any id a resource has had), plus label and annotation selectors.
  public struct ResourceSelector: Sendable {
    public var gvk = GVK()
    public var name = ""
    public var namespace = ""
    public var labelSelector = ""
    public var annotationSelector = ""

    var hasID: Bool { gvk != GVK() || !name.isEmpty || !namespace.isEmpty }

    func selects(_ id: ResourceID) -> Bool {
      (name.isEmpty || name == id.name)
        && (namespace.isEmpty || ResourceID(gvk: id.gvk, name: "", namespace: namespace).isNamespaceEqual(id))
        && id.gvk.isSelected(by: gvk)
    }
  }

  public struct Options: Sendable {
    public var delimiter = ""
    public var index = 0
    public var create = false
  }

  public struct Source: Sendable {
    public var selector: ResourceSelector
    public var fieldPath: String
    public var options: Options
    public var mark: Mark
  }

  public struct Target: Sendable {
    public var select: ResourceSelector?
    public var reject: [ResourceSelector]
    public var fieldPaths: [String]
    public var options: Options
    public var mark: Mark
  }

  public var source: Source
  public var targets: [Target]
  public var mark: Mark

  static let defaultFieldPath = "metadata.name"

  /// Reads a replacement, either written inline or loaded from a `path:` file.
  static func decode(_ node: Node, field: String) throws(Diagnostic) -> Replacement {
    guard let map = try NodeDecoding.mapping(node, field: field) else {
      throw NodeDecoding.mismatch(field, node, expected: "a map")
    }
    try NodeDecoding.checkKeys(map, allowed: ["source", "targets"], in: "a replacement")
    guard let sourceNode = NodeDecoding.field(map, "source"), !sourceNode.isNull else {
      throw Diagnostic(node.mark, "a replacement needs a 'source'")
    }
    var targets: [Target] = []
    for item in try NodeDecoding.list(
      NodeDecoding.field(map, "targets") ?? .scalar(Scalar("", kind: .null)), field: "targets")
    {
      targets.append(try decodeTarget(item))
    }
    return Replacement(source: try decodeSource(sourceNode), targets: targets, mark: node.mark)
  }

  static let idFields = ["group", "version", "kind", "name", "namespace"]

  static func decodeSelector(_ node: Node, field: String, allowLabels: Bool) throws(Diagnostic) -> ResourceSelector {
    guard let map = try NodeDecoding.mapping(node, field: field) else { return ResourceSelector() }
    var allowed = Set(idFields)
    if allowLabels { allowed.formUnion(["labelSelector", "annotationSelector"]) }
    var selector = ResourceSelector()
    for entry in map.entries {
      if !allowLabels && ["fieldPath", "options"].contains(entry.key.value) { continue }
      let value = try NodeDecoding.optionalString(entry.value, field: "\(field).\(entry.key.value)") ?? ""
      switch NodeDecoding.fieldName(entry.key.value, among: allowed) {
      case "group": selector.gvk.group = value
      case "version": selector.gvk.version = value
      case "kind": selector.gvk.kind = value
      case "name": selector.name = value
      case "namespace": selector.namespace = value
      case "labelSelector": selector.labelSelector = value
      case "annotationSelector": selector.annotationSelector = value
      default:
        throw Diagnostic(entry.key.mark, "unknown field '\(entry.key.value)' in \(field)")
      }
    }
    return selector
  }

  static func decodeOptions(_ node: Node?) throws(Diagnostic) -> Options {
    var options = Options()
    guard let node, let map = try NodeDecoding.mapping(node, field: "options") else { return options }
    try optionFields.decode(map, into: &options)
    return options
  }

  static let optionFields = FieldTable<Options>(
    "replacement options",
    [
      .init("delimiter") { options, value, _ throws(Diagnostic) in
        options.delimiter = try NodeDecoding.optionalString(value, field: "delimiter") ?? ""
      },
      .init("index") { options, value, _ throws(Diagnostic) in
        options.index = value.isNull ? 0 : try NodeDecoding.int(value, field: "index")
      },
      .init("create") { options, value, _ throws(Diagnostic) in
        options.create = try NodeDecoding.bool(value, field: "create")
      },
      .init("encoding") { _, value, key throws(Diagnostic) in
        if !value.isNull { throw Diagnostic(key.mark, "replacement option 'encoding' is not supported") }
      },
    ])

  static func decodeSource(_ node: Node) throws(Diagnostic) -> Source {
    guard let map = try NodeDecoding.mapping(node, field: "source") else {
      throw NodeDecoding.mismatch("source", node, expected: "a map")
    }
    try NodeDecoding.checkKeys(map, allowed: Set(idFields + ["fieldPath", "options"]), in: "a replacement source")
    let fieldPath =
      try NodeDecoding.field(map, "fieldPath").flatMap { (value) throws(Diagnostic) in
        try NodeDecoding.optionalString(value, field: "fieldPath")
      } ?? ""
    return Source(
      selector: try decodeSelector(node, field: "source", allowLabels: false),
      fieldPath: fieldPath.isEmpty ? defaultFieldPath : fieldPath,
      options: try decodeOptions(NodeDecoding.field(map, "options")), mark: node.mark)
  }

  static func decodeTarget(_ node: Node) throws(Diagnostic) -> Target {
    guard let map = try NodeDecoding.mapping(node, field: "targets") else {
      throw NodeDecoding.mismatch("targets", node, expected: "a map")
    }
    try NodeDecoding.checkKeys(map, allowed: ["select", "reject", "fieldPaths", "options"], in: "a replacement target")
    var select: ResourceSelector?
    if let selectNode = NodeDecoding.field(map, "select"), !selectNode.isNull {
      select = try decodeSelector(selectNode, field: "select", allowLabels: true)
    }
    var reject: [ResourceSelector] = []
    if let rejectNode = NodeDecoding.field(map, "reject") {
      for item in try NodeDecoding.list(rejectNode, field: "reject") {
        reject.append(try decodeSelector(item, field: "reject", allowLabels: true))
      }
    }
    var fieldPaths =
      try NodeDecoding.field(map, "fieldPaths").map { (value) throws(Diagnostic) in
        try NodeDecoding.stringList(value, field: "fieldPaths").map(\.value)
      } ?? []
    if fieldPaths.isEmpty { fieldPaths = [defaultFieldPath] }
    return Target(
      select: select, reject: reject, fieldPaths: fieldPaths,
      options: try decodeOptions(NodeDecoding.field(map, "options")), mark: node.mark)
  }
}
