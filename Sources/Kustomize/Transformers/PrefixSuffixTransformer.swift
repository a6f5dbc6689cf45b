import YAML

/// `namePrefix:` and `nameSuffix:`: renames resources (not CRDs, APIServices or Namespaces).
public struct PrefixSuffixTransformer: BuiltinTransformer {
  public static let kind = "PrefixSuffixTransformer"
  /// kustomize v5 records the two halves under their own names.
  public var recordedKinds: [String] {
    (prefix.isEmpty ? [] : ["PrefixTransformer"]) + (suffix.isEmpty ? [] : ["SuffixTransformer"])
  }
  public var action: String { "adding the name prefix and suffix" }
  public var mark: Mark?
  public var prefix: String
  public var suffix: String
  public var skipped: [GVK]
  /// The types whose `metadata.name` changes: every type for the kustomization
  /// fields; for a plugin, those its `metadata/name` field specs select.
  public var renamed: [GVK]
  /// Other fields that take the prefix, and those that take the suffix (from `configurations:` or `crds:`).
  public var prefixFields: [FieldSpec]
  public var suffixFields: [FieldSpec]

  public init(
    prefix: String, suffix: String, skipped: [GVK] = DefaultFieldSpecs.prefixSuffixSkipped,
    renamed: [GVK] = [GVK()], prefixFields: [FieldSpec] = [],
    suffixFields: [FieldSpec] = [], mark: Mark? = nil
  ) {
    self.mark = mark
    self.renamed = renamed
    self.prefix = prefix
    self.suffix = suffix
    self.skipped = skipped
    self.prefixFields = prefixFields
    self.suffixFields = suffixFields
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    guard !prefix.isEmpty || !suffix.isEmpty else { return }
    for resource in resources.resources {
      let original = resource.originalID.gvk
      if skipped.contains(where: { original.isSelected(by: $0) }) { continue }
      let renames = renamed.contains { original.isSelected(by: $0) }
      if renames {
        resource.recordPrefix(prefix)
        resource.recordSuffix(suffix)
      }
      try resources.update(resource, keepingPreviousID: renames) { (resource) throws(Diagnostic) in
        if renames {
          resource.object.mapping(creating: "metadata").setString("name", prefix + resource.name + suffix)
        }
        for (specs, before, after) in [(prefixFields, prefix, ""), (suffixFields, "", suffix)]
        where !(before + after).isEmpty {
          for spec in specs where original.isSelected(by: spec.gvk) {
            try spec.visit(resource.object, creating: nil) { (parent, index) throws(Diagnostic) in
              guard case .scalar(var scalar) = parent.entries[index].value, scalar.kind != .null else { return }
              scalar.value = before + scalar.value + after
              scalar.kind = .string
              parent.entries[index].value = .scalar(scalar)
            }
          }
        }
      }
    }
  }
}
