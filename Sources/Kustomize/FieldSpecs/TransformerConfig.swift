import YAML

/// The field specs the transformers use: kustomize's defaults plus what
/// `configurations:` files add. A kustomization's configuration also reaches
/// the kustomizations that include it, as in kustomize.
public struct TransformerConfig: Sendable {
  public var namespace: [FieldSpec] = DefaultFieldSpecs.namespace
  public var commonLabels: [FieldSpec] = DefaultFieldSpecs.commonLabels
  public var templateLabels: [FieldSpec] = DefaultFieldSpecs.templateLabels
  public var commonAnnotations: [FieldSpec] = DefaultFieldSpecs.commonAnnotations
  public var nameReference: [NameReferenceSpecs.Entry] = NameReferenceSpecs.defaults
  public var varReference: [FieldSpec] = DefaultFieldSpecs.varReference
  public var images: [FieldSpec] = []
  public var replicas: [FieldSpec] = DefaultFieldSpecs.replicas
  /// Fields besides `metadata/name` that take the name prefix, and those that take the suffix.
  public var namePrefix: [FieldSpec] = []
  public var nameSuffix: [FieldSpec] = []

  public init() {}

  /// No field specs at all: the start of a configuration read from a file.
  static var empty: TransformerConfig {
    var config = TransformerConfig()
    config.namespace = []
    config.commonLabels = []
    config.templateLabels = []
    config.commonAnnotations = []
    config.nameReference = []
    config.varReference = []
    config.replicas = []
    return config
  }

  static let sections = [
    "namespace", "commonLabels", "templateLabels", "commonAnnotations", "nameReference", "varReference", "images",
    "replicas", "namePrefix", "nameSuffix",
  ]

  /// Adds another configuration's specs, skipping ones already present.
  public mutating func merge(_ other: TransformerConfig) {
    namespace = FieldSpec.merged(namespace + other.namespace)
    commonLabels = FieldSpec.merged(commonLabels + other.commonLabels)
    templateLabels = FieldSpec.merged(templateLabels + other.templateLabels)
    commonAnnotations = FieldSpec.merged(commonAnnotations + other.commonAnnotations)
    varReference = FieldSpec.merged(varReference + other.varReference)
    images = FieldSpec.merged(images + other.images)
    replicas = FieldSpec.merged(replicas + other.replicas)
    namePrefix = FieldSpec.merged(namePrefix + other.namePrefix)
    nameSuffix = FieldSpec.merged(nameSuffix + other.nameSuffix)
    for entry in other.nameReference {
      if let index = nameReference.firstIndex(where: { $0.target == entry.target }) {
        nameReference[index].referrers = FieldSpec.merged(nameReference[index].referrers + entry.referrers)
      } else {
        nameReference.append(entry)
      }
    }
  }

  /// Reads a `configurations:` file.
  static func decode(_ documents: [Node]) throws(Diagnostic) -> TransformerConfig {
    var config = TransformerConfig.empty
    for document in documents where !document.isNull {
      guard case .mapping(let map) = document else {
        throw Diagnostic(document.mark, "a transformer configuration must be a map of field spec lists")
      }
      for entry in map.entries {
        let section = NodeDecoding.fieldName(entry.key.value, among: sections)
        func specs() throws(Diagnostic) -> [FieldSpec] {
          var result: [FieldSpec] = []
          for item in try NodeDecoding.list(entry.value, field: section) { result.append(try FieldSpec.decode(item)) }
          return result
        }
        switch section {
        case "namespace": config.namespace += try specs()
        case "commonLabels": config.commonLabels += try specs()
        case "templateLabels": config.templateLabels += try specs()
        case "commonAnnotations": config.commonAnnotations += try specs()
        case "varReference": config.varReference += try specs()
        case "images": config.images += try specs()
        case "replicas": config.replicas += try specs()
        case "nameReference":
          for item in try NodeDecoding.list(entry.value, field: section) {
            config.nameReference.append(try decodeNameReference(item))
          }
        case "namePrefix":
          // `metadata/name` is always renamed; other paths take only the prefix.
          config.namePrefix += try specs().filter { $0.path != ["metadata", "name"] }
        case "nameSuffix":
          config.nameSuffix += try specs().filter { $0.path != ["metadata", "name"] }
        default:
          throw Diagnostic(entry.key.mark, "unknown field '\(entry.key.value)' in a transformer configuration")
        }
      }
    }
    return config
  }

  static func decodeNameReference(_ node: Node) throws(Diagnostic) -> NameReferenceSpecs.Entry {
    guard case .mapping(let map) = node else { throw NodeDecoding.mismatch("nameReference", node, expected: "a map") }
    let allowed = ["group", "version", "kind", "fieldSpecs"]
    try NodeDecoding.checkKeys(map, allowed: Set(allowed), in: "nameReference")
    var target = GVK()
    var referrers: [FieldSpec] = []
    for entry in map.entries {
      switch NodeDecoding.fieldName(entry.key.value, among: allowed) {
      case "group": target.group = try NodeDecoding.optionalString(entry.value, field: "group") ?? ""
      case "version": target.version = try NodeDecoding.optionalString(entry.value, field: "version") ?? ""
      case "kind": target.kind = try NodeDecoding.optionalString(entry.value, field: "kind") ?? ""
      default:
        for item in try NodeDecoding.list(entry.value, field: "fieldSpecs") { referrers.append(try FieldSpec.decode(item)) }
      }
    }
    return NameReferenceSpecs.Entry(target: target, referrers: referrers)
  }
}
