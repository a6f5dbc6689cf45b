import YAML

/// The field specs the transformers use: kustomize's defaults plus what
/// `configurations:` files add. A kustomization's configuration also reaches
/// the kustomizations that include it, as in kustomize.
public struct TransformerConfig: Sendable {
  public var namespace: [FieldSpec] = DefaultFieldSpecs.namespace
  public var commonLabels: [FieldSpec] = DefaultFieldSpecs.commonLabels
  public var templateLabels: [FieldSpec] = DefaultFieldSpecs.templateLabels
  /// Fields every `labels:` entry reaches, whatever its flags (none by default).
  public var labels: [FieldSpec] = []
  public var commonAnnotations: [FieldSpec] = DefaultFieldSpecs.commonAnnotations
  public var nameReference: [NameReferenceSpecs.Entry] = NameReferenceSpecs.defaults
  public var varReference: [FieldSpec] = DefaultFieldSpecs.varReference
  public var images: [FieldSpec] = []
  public var replicas: [FieldSpec] = DefaultFieldSpecs.replicas
  /// Fields besides `metadata/name` that take the name prefix, and those that take the suffix.
  public var namePrefix: [FieldSpec] = []
  public var nameSuffix: [FieldSpec] = []

  public init() {}

  /// One section of field specs: its key in a configuration file and the property holding it.
  struct Section: Sendable {
    let name: String
    let specs: WritableKeyPath<TransformerConfig, [FieldSpec]> & Sendable
    /// `namePrefix` and `nameSuffix`: `metadata/name` is always renamed, so only other paths are kept.
    var keepsMetadataName = true
  }

  /// Every section of field specs; `nameReference`, whose entries are targets
  /// with referrers, is the one section not in this table.
  static let sections: [Section] = [
    Section(name: "namespace", specs: \.namespace),
    Section(name: "commonLabels", specs: \.commonLabels),
    Section(name: "templateLabels", specs: \.templateLabels),
    Section(name: "labels", specs: \.labels),
    Section(name: "commonAnnotations", specs: \.commonAnnotations),
    Section(name: "varReference", specs: \.varReference),
    Section(name: "images", specs: \.images),
    Section(name: "replicas", specs: \.replicas),
    Section(name: "namePrefix", specs: \.namePrefix, keepsMetadataName: false),
    Section(name: "nameSuffix", specs: \.nameSuffix, keepsMetadataName: false),
  ]

  /// No field specs at all: the start of a configuration read from a file.
  static var empty: TransformerConfig {
    var config = TransformerConfig()
    for section in sections { config[keyPath: section.specs] = [] }
    config.nameReference = []
    return config
  }

  /// Adds another configuration's specs, skipping those kustomize counts as
  /// already present; two for one field that disagree on `create` are an error,
  /// as in kustomize, reported at `mark`.
  public mutating func merge(_ other: TransformerConfig, at mark: Mark) throws(Diagnostic) {
    for section in TransformerConfig.sections {
      do throws(FieldSpecConflict) {
        self[keyPath: section.specs] = try FieldSpec.mergedChecked(
          self[keyPath: section.specs] + other[keyPath: section.specs])
      } catch {
        throw Diagnostic(
          mark,
          "conflicting field specs in '\(section.name)': '\(error.spec.pathText)' is given both with and without create"
        )
      }
    }
    for entry in other.nameReference {
      if let index = nameReference.firstIndex(where: { $0.target == entry.target }) {
        nameReference[index].referrers = FieldSpec.merged(nameReference[index].referrers + entry.referrers)
      } else {
        nameReference.append(entry)
      }
    }
  }

  /// The keys of a `configurations:` file: one row per section.
  static let fields = FieldTable<TransformerConfig>(
    "a transformer configuration",
    sections.map { section in
      .init(section.name) { config, value, _ throws(Diagnostic) in
        for item in try NodeDecoding.list(value, field: section.name) {
          let spec = try FieldSpec.decode(item)
          if section.keepsMetadataName || spec.path != ["metadata", "name"] {
            config[keyPath: section.specs].append(spec)
          }
        }
      }
    } + [
      .init("nameReference") { config, value, _ throws(Diagnostic) in
        for item in try NodeDecoding.list(value, field: "nameReference") {
          config.nameReference.append(try decodeNameReference(item))
        }
      }
    ])

  /// Reads a `configurations:` file.
  static func decode(_ documents: [Node]) throws(Diagnostic) -> TransformerConfig {
    var config = TransformerConfig.empty
    for document in documents where !document.isNull {
      guard case .mapping(let map) = document else {
        throw Diagnostic(document.mark, "a transformer configuration must be a map of field spec lists")
      }
      try fields.decode(map, into: &config)
    }
    return config
  }

  /// One `nameReference` entry: a target type and the fields that refer to it.
  static let nameReferenceEntry = FieldTable<NameReferenceSpecs.Entry>(
    "nameReference",
    FieldTable<NameReferenceSpecs.Entry>.typeRows(\.target) + [
      .init("fieldSpecs") { entry, value, _ throws(Diagnostic) in
        for item in try NodeDecoding.list(value, field: "fieldSpecs") {
          entry.referrers.append(try FieldSpec.decode(item))
        }
      }
    ])

  static func decodeNameReference(_ node: Node) throws(Diagnostic) -> NameReferenceSpecs.Entry {
    guard case .mapping(let map) = node else { throw NodeDecoding.mismatch("nameReference", node, expected: "a map") }
    var entry = NameReferenceSpecs.Entry(target: GVK(), referrers: [])
    try nameReferenceEntry.decode(map, into: &entry)
    return entry
  }
}
