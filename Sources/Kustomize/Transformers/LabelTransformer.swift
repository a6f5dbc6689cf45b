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
  /// Drops later specs with the same type and path as an earlier one, as kustomize merges spec lists.
  static func merged(_ specs: [FieldSpec]) -> [FieldSpec] {
    var seen: Set<String> = []
    var result: [FieldSpec] = []
    for spec in specs where seen.insert("\(spec.gvk)|\(spec.pathText)").inserted {
      result.append(spec)
    }
    return result
  }
}
