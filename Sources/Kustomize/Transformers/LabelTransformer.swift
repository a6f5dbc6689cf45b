import YAML

/// `commonLabels:` and each `labels:` entry: adds labels where its field specs point.
public struct LabelTransformer: BuiltinTransformer {
  public static let kind = "LabelTransformer"
  public var pairs: StringPairs
  public var fieldSpecs: [FieldSpec]

  public init(pairs: StringPairs, fieldSpecs: [FieldSpec]) {
    self.pairs = pairs
    self.fieldSpecs = fieldSpecs
  }

  /// The transformer for one `labels:` entry, with the field specs its flags select.
  public init(label: Kustomization.Label, config: TransformerConfig = TransformerConfig()) {
    var specs = label.fields
    if label.includeSelectors {
      specs += config.commonLabels
    } else {
      if label.includeTemplates { specs += config.templateLabels }
      specs.append(DefaultFieldSpecs.metadataLabels)
    }
    specs += config.labels
    self.init(pairs: label.pairs, fieldSpecs: FieldSpec.merged(specs))
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    try MapEntrySetter(pairs: pairs, fieldSpecs: fieldSpecs, field: "labels").apply(to: &resources)
  }
}

/// `commonAnnotations:`: adds annotations to resources and their pod templates.
public struct AnnotationTransformer: BuiltinTransformer {
  public static let kind = "AnnotationsTransformer"
  public var pairs: StringPairs
  public var fieldSpecs: [FieldSpec]

  public init(pairs: StringPairs, fieldSpecs: [FieldSpec] = DefaultFieldSpecs.commonAnnotations) {
    self.pairs = pairs
    self.fieldSpecs = fieldSpecs
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    try MapEntrySetter(pairs: pairs, fieldSpecs: fieldSpecs, field: "annotations").apply(to: &resources)
  }
}

extension FieldSpec {
  /// Whether kustomize counts two specs as one: the same path, and either's type selects the other's.
  func isEffectivelyEqual(to other: FieldSpec) -> Bool {
    path == other.path && listSegments == other.listSegments
      && (gvk.isSelected(by: other.gvk) || other.gvk.isSelected(by: gvk))
  }

  /// Drops each spec kustomize counts as one already in the list, as it merges spec lists.
  static func merged(_ specs: [FieldSpec]) -> [FieldSpec] {
    (try? mergedChecked(specs)) ?? specs
  }

  /// As `merged`; two specs counted as one that disagree on `create` are the
  /// reference's "conflicting fieldspecs", thrown with the later one.
  static func mergedChecked(_ specs: [FieldSpec]) throws(FieldSpecConflict) -> [FieldSpec] {
    var byPath: [String: [Int]] = [:]
    var result: [FieldSpec] = []
    for spec in specs {
      let key = spec.pathText
      if let same = byPath[key]?.first(where: { result[$0].isEffectivelyEqual(to: spec) }) {
        if result[same].create != spec.create { throw FieldSpecConflict(spec: spec) }
        continue
      }
      byPath[key, default: []].append(result.count)
      result.append(spec)
    }
    return result
  }
}

/// Two field specs for one field that disagree on whether to create it.
struct FieldSpecConflict: Error {
  let spec: FieldSpec
}
