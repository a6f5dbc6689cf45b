import YAML

/// `namePrefix:` and `nameSuffix:`: renames resources (not CRDs, APIServices or Namespaces).
public struct PrefixSuffixTransformer: Transformer {
  public var prefix: String
  public var suffix: String
  public var skipped: [GVK]

  public init(prefix: String, suffix: String, skipped: [GVK] = DefaultFieldSpecs.prefixSuffixSkipped) {
    self.prefix = prefix
    self.suffix = suffix
    self.skipped = skipped
  }

  public func apply(to resources: inout ResourceMap) throws(SourceError) {
    guard !prefix.isEmpty || !suffix.isEmpty else { return }
    for resource in resources.resources {
      let original = resource.originalID.gvk
      if skipped.contains(where: { original.isSelected(by: $0) }) { continue }
      resource.recordPrefix(prefix)
      resource.recordSuffix(suffix)
      resource.storePreviousID()
      resource.setName(prefix + resource.name + suffix)
    }
    try resources.reindex(after: "adding the name prefix and suffix")
  }
}
