import YAML

/// The plugins a kustomization's `generators:`, `transformers:` and
/// `validators:` configure.
///
/// kustomize (without `--enable-alpha-plugins`) runs only its builtin plugins:
/// resources of `apiVersion: builtin` whose kind names one, decoded leniently
/// (unknown fields are ignored, as Go's JSON decoding ignores them). Each kind
/// here decodes into the same transformer or generator value that its
/// kustomization field builds. Exec and KRM function plugins are refused.
enum BuiltinPlugins {
  /// The list a configuration was named in.
  enum Role: String, Sendable {
    case generators, transformers, validators
  }

  /// What a configuration decodes into.
  enum Configured {
    case generated([LoadedKustomization.Generated])
    case transformer(PluginTransformer)
  }

  /// What decoding may read: the kustomization that lists the plugin (its
  /// directory is where the plugin's files are found) and the loader.
  struct Context {
    let kustomization: Kustomization
    let loader: Loader
    /// The kustomization's real directory; its base name is `ValueAddTransformer`'s default value.
    let root: String
    var rootName: String { root.split(separator: "/").last.map(String.init) ?? "/" }
  }

  typealias Decode = @Sendable (Mapping, Resource, Context) throws(Diagnostic) -> Configured

  /// One row per builtin kind kustomize v5.6 loads.
  static let kinds: [String: Decode] = [
    "AnnotationsTransformer": { config, _, _ throws(Diagnostic) in
      let pairs = try NodeDecoding.stringPairs(field(config, "annotations"), field: "annotations")
      let specs = try fieldSpecs(config) ?? []
      return .transformer(
        PluginTransformer(mark: config.mark) { _ in AnnotationTransformer(pairs: pairs, fieldSpecs: specs) })
    },
    "LabelTransformer": { config, _, _ throws(Diagnostic) in
      let pairs = try NodeDecoding.stringPairs(field(config, "labels"), field: "labels")
      let specs = try fieldSpecs(config) ?? []
      return .transformer(
        PluginTransformer(mark: config.mark) { _ in LabelTransformer(pairs: pairs, fieldSpecs: specs) })
    },
    "NamespaceTransformer": { config, resource, _ throws(Diagnostic) in
      let subjectsNode = field(config, "setRoleBindingSubjects")
      let subjectsText = try NodeDecoding.optionalString(subjectsNode, field: "setRoleBindingSubjects") ?? ""
      guard
        let subjects = subjectsText.isEmpty
          ? .defaultOnly : NamespaceTransformer.RoleBindingSubjects(rawValue: subjectsText)
      else {
        throw Diagnostic(
          subjectsNode.mark,
          "setRoleBindingSubjects must be defaultOnly, allServiceAccounts or none, not '\(subjectsText)'")
      }
      let transformer = NamespaceTransformer(
        namespace: resource.namespace, fieldSpecs: try fieldSpecs(config) ?? [],
        unsetOnly: try NodeDecoding.bool(field(config, "unsetOnly"), field: "unsetOnly"), subjects: subjects,
        mark: config.mark)
      return .transformer(PluginTransformer(mark: config.mark) { _ in transformer })
    },
    "PrefixSuffixTransformer": { config, _, _ throws(Diagnostic) in try prefixSuffix(config, prefix: true, suffix: true)
    },
    "PrefixTransformer": { config, _, _ throws(Diagnostic) in try prefixSuffix(config, prefix: true, suffix: false) },
    "SuffixTransformer": { config, _, _ throws(Diagnostic) in try prefixSuffix(config, prefix: false, suffix: true) },
    "ImageTagTransformer": { config, _, _ throws(Diagnostic) in
      let image =
        try KustomizationDecoder.image.decode(
          field(config, "imageTag"), field: "imageTag", into: Kustomization.Image(name: "", mark: config.mark))
        ?? Kustomization.Image(name: "", mark: config.mark)
      let transformer = ImageTransformer(image: image, fieldSpecs: try fieldSpecs(config) ?? [])
      return .transformer(PluginTransformer(mark: config.mark) { _ in transformer })
    },
    "ReplicaCountTransformer": { config, _, _ throws(Diagnostic) in
      let replica =
        try KustomizationDecoder.replica.decode(
          field(config, "replica"), field: "replica", into: Kustomization.Replica(name: "", count: 0, mark: config.mark)
        )
        ?? Kustomization.Replica(name: "", count: 0, mark: config.mark)
      let specs = try fieldSpecs(config) ?? []
      return .transformer(
        PluginTransformer(mark: config.mark) { _ in ReplicaTransformer(replica: replica, fieldSpecs: specs) })
    },
    "PatchTransformer": { config, _, context throws(Diagnostic) in
      var entry = Kustomization.Patch(mark: config.mark)
      try KustomizationDecoder.patches.decode(config, into: &entry, ignoringUnknown: true)
      return try patch(entry, config, context, json6902: false, text: "patch")
    },
    "PatchJson6902Transformer": { config, _, context throws(Diagnostic) in
      var entry = Kustomization.Patch(mark: config.mark)
      entry.path = try NodeDecoding.locatedString(field(config, "path"), field: "path")
      entry.patch = try NodeDecoding.locatedString(field(config, "jsonOp"), field: "jsonOp")
      let targetNode = field(config, "target")
      guard !targetNode.isNull else {
        throw Diagnostic(config.mark, "a PatchJson6902Transformer needs a 'target'")
      }
      entry.target = try Selector.decode(targetNode, field: "target")
      return try patch(entry, config, context, json6902: true, text: "jsonOp")
    },
    "PatchStrategicMergeTransformer": { config, _, context throws(Diagnostic) in
      var entries = try NodeDecoding.stringList(field(config, "paths"), field: "paths")
      if let inline = try NodeDecoding.locatedString(field(config, "patches"), field: "patches"),
        !inline.value.isEmpty
      {
        entries.append(inline)
      }
      guard !entries.isEmpty else {
        throw Diagnostic(config.mark, "a PatchStrategicMergeTransformer needs 'paths' or 'patches'")
      }
      var patches: [(entry: Located<String>, patches: [Mapping])] = []
      for entry in entries {
        patches.append(
          (
            entry,
            try LoadedKustomization.strategicMergePatches(
              entry, in: context.kustomization, loader: context.loader)
          ))
      }
      return .transformer(
        PluginTransformer(mark: config.mark) { openAPI in StrategicMergeFilesTransformer(patches, openAPI: openAPI) })
    },
    "ReplacementTransformer": { config, _, context throws(Diagnostic) in
      let entries = try KustomizationDecoder.replacementEntries(field(config, "replacements"))
      let replacements = try LoadedKustomization.replacements(
        entries, in: context.kustomization, loader: context.loader)
      return .transformer(
        PluginTransformer(mark: config.mark) { _ in ReplacementTransformer(replacements, mark: config.mark) })
    },
    "HashTransformer": { config, _, _ throws(Diagnostic) in
      .transformer(PluginTransformer(mark: config.mark) { _ in HashSuffixTransformer() })
    },
    "ValueAddTransformer": { config, _, context throws(Diagnostic) in
      var value = try NodeDecoding.optionalString(field(config, "value"), field: "value") ?? ""
      value = value.trimmingWhitespace()
      if value.isEmpty { value = context.rootName }
      var targets: [ValueAddTransformer.Target] = []
      for item in try NodeDecoding.list(field(config, "targets"), field: "targets") {
        guard case .mapping(let map) = item else { throw NodeDecoding.mismatch("targets", item, expected: "a map") }
        let selectorNode = field(map, "selector")
        let position = field(map, "filePathPosition")
        var target = ValueAddTransformer.Target(
          selector: selectorNode.isNull ? nil : try Selector.decode(selectorNode, field: "selector"),
          fieldPath: try NodeDecoding.optionalString(field(map, "fieldPath"), field: "fieldPath") ?? "",
          mark: item.mark)
        if !position.isNull { target.filePathPosition = try NodeDecoding.int(position, field: "filePathPosition") }
        guard target.filePathPosition >= 0 else {
          throw Diagnostic(position.mark, "filePathPosition must not be negative")
        }
        targets.append(target)
      }
      guard !targets.isEmpty else { throw Diagnostic(config.mark, "a ValueAddTransformer needs at least one target") }
      let transformer = ValueAddTransformer(value: value, targets: targets, mark: config.mark)
      return .transformer(PluginTransformer(mark: config.mark) { _ in transformer })
    },
    "ConfigMapGenerator": { config, resource, context throws(Diagnostic) in
      try generate(.configMap, config, resource, context)
    },
    "SecretGenerator": { config, resource, context throws(Diagnostic) in
      try generate(.secret, config, resource, context)
    },
    "HelmChartInflationGenerator": { config, _, context throws(Diagnostic) in
      var chart = HelmChart(mark: config.mark)
      try HelmChart.plugin.decode(config, into: &chart, ignoringUnknown: true)
      let inflator = HelmInflator(
        settings: context.loader.helm, loader: context.loader, kustomization: context.kustomization,
        root: context.root)
      var entry = Kustomization.Generator(name: chart.name, mark: config.mark)
      entry.behavior = .create
      return .generated(try inflator.inflate(chart).map { LoadedKustomization.Generated(resource: $0, entry: entry) })
    },
    "IAMPolicyGenerator": { config, _, _ throws(Diagnostic) in
      throw Diagnostic(config.mark, "the builtin IAMPolicyGenerator is not supported by mrgen")
    },
  ]

  /// Reads every configuration and decodes it for `role`.
  static func configure(_ configs: [Resource], role: Role, context: Context) throws(Diagnostic) -> [Configured] {
    var result: [Configured] = []
    for resource in configs {
      let configured = try configure(resource, context: context)
      switch (configured, role) {
      case (.generated, .generators), (.transformer, .transformers), (.transformer, .validators):
        result.append(configured)
      case (.generated, _):
        throw Diagnostic(resource.source, "\(resource.gvk.kind) is a generator: list it under 'generators'")
      case (.transformer, _):
        throw Diagnostic(
          resource.source, "\(resource.gvk.kind) is a transformer: list it under 'transformers', not 'generators'")
      }
    }
    return result
  }

  static func configure(_ resource: Resource, context: Context) throws(Diagnostic) -> Configured {
    var configured = try decode(resource, context: context)
    // The configuration's file (the kustomization's, for one written inline), kind, name and namespace.
    let file: String
    if case .file(let path)? = resource.origin { file = path } else { file = context.kustomization.file }
    let origin = Resource.Origin.builtin(
      configuredIn: file, kind: resource.gvk.kind, name: resource.name, namespace: resource.namespace)
    switch configured {
    case .generated(let generated):
      for item in generated where item.resource.gvk.kind == "ConfigMap" || item.resource.gvk.kind == "Secret" {
        item.resource.origin = origin
      }
    case .transformer(var transformer):
      transformer.origin = origin
      configured = .transformer(transformer)
    }
    return configured
  }

  static func decode(_ resource: Resource, context: Context) throws(Diagnostic) -> Configured {
    let kind = resource.gvk.kind
    guard resource.gvk.group.isEmpty, resource.gvk.version == "builtin" else {
      let function = resource.metadata?["annotations"]?.mapping?["config.kubernetes.io/function"] != nil
      throw Diagnostic(
        resource.source,
        function
          ? "'\(kind)' is a KRM function (config.kubernetes.io/function): mrgen runs no functions, only kustomize's builtin plugins (apiVersion: builtin)"
          : "'\(kind)' is an external plugin (apiVersion \(resource.gvk.apiVersion)): mrgen runs no exec or function plugins, only kustomize's builtin plugins (apiVersion: builtin)"
      )
    }
    guard let decode = kinds[kind] else {
      throw Diagnostic(
        resource.source,
        "'\(kind)' is not one of kustomize's builtin plugins (\(kinds.keys.sorted().joined(separator: ", ")))")
    }
    return try decode(BuiltinPlugins.readAsResource(resource.object), resource, context)
  }

  /// A copy of a configuration whose scalars read as a resource's do (YAML 1.2:
  /// `y` and `on` are strings): kustomize writes the resource out again before
  /// decoding it, quoting them.
  static func readAsResource(_ mapping: Mapping) -> Mapping {
    func convert(_ node: Node) -> Node {
      switch node {
      case .scalar(var scalar):
        if scalar.kind == .string && scalar.style == .plain { scalar.style = .doubleQuoted }
        return .scalar(scalar)
      case .sequence(let sequence):
        return .sequence(SequenceNode(sequence.items.map(convert), mark: sequence.mark))
      case .mapping(let map):
        return .mapping(
          Mapping(map.entries.map { Mapping.Entry(key: $0.key, value: convert($0.value)) }, mark: map.mark))
      }
    }
    return convert(.mapping(mapping)).mapping ?? mapping
  }

  /// The two patch plugins: exactly one of the patch text (`text` names its key) and `path`, loaded now.
  static func patch(
    _ entry: Kustomization.Patch, _ config: Mapping, _ context: Context, json6902: Bool, text: String
  ) throws(Diagnostic) -> Configured {
    let hasPatch = !(entry.patch?.value.isEmpty ?? true)
    guard hasPatch != !(entry.path?.value.isEmpty ?? true) else {
      let kind = json6902 ? "PatchJson6902Transformer" : "PatchTransformer"
      throw Diagnostic(config.mark, "a \(kind) must give one of '\(text)' and 'path'")
    }
    let content = try LoadedKustomization.patch(
      entry, in: context.kustomization, loader: context.loader, json6902: json6902)
    return .transformer(
      PluginTransformer(mark: config.mark) { openAPI in
        PatchTransformer(entry, content: content, fromPatchesJson6902: json6902, openAPI: openAPI)
      })
  }

  /// A field of a configuration, matched as Go's JSON decoding matches keys; null when absent.
  static func field(_ map: Mapping, _ name: String) -> Node {
    NodeDecoding.field(map, name) ?? .scalar(Scalar("", kind: .null))
  }

  /// `fieldSpecs:`; nil when absent or null.
  static func fieldSpecs(_ config: Mapping) throws(Diagnostic) -> [FieldSpec]? {
    let node = field(config, "fieldSpecs")
    if node.isNull { return nil }
    var specs: [FieldSpec] = []
    for item in try NodeDecoding.list(node, field: "fieldSpecs") { specs.append(try FieldSpec.decode(item)) }
    return specs
  }

  /// The prefix and suffix transformers: `metadata/name` specs say which types are
  /// renamed, the others which fields take the prefix or suffix as well.
  static func prefixSuffix(_ config: Mapping, prefix: Bool, suffix: Bool) throws(Diagnostic) -> Configured {
    guard let specs = try fieldSpecs(config) else {
      throw Diagnostic(config.mark, "this plugin needs 'fieldSpecs' (metadata/name, at least, to rename resources)")
    }
    let prefixText = prefix ? try NodeDecoding.optionalString(field(config, "prefix"), field: "prefix") ?? "" : ""
    let suffixText = suffix ? try NodeDecoding.optionalString(field(config, "suffix"), field: "suffix") ?? "" : ""
    let names = specs.filter { $0.path == ["metadata", "name"] }
    let others = specs.filter { $0.path != ["metadata", "name"] }
    let transformer = PrefixSuffixTransformer(
      prefix: prefixText, suffix: suffixText, renamed: names.map(\.gvk), prefixFields: others, suffixFields: others,
      mark: config.mark)
    return .transformer(PluginTransformer(mark: config.mark) { _ in transformer })
  }

  /// A ConfigMap or Secret generator: the kustomization field's entry, its name
  /// and namespace defaulting to the configuration's; the kustomization's
  /// `generatorOptions` do not apply.
  static func generate(_ kind: ResourceGenerator.Kind, _ config: Mapping, _ resource: Resource, _ context: Context)
    throws(Diagnostic) -> Configured
  {
    let table =
      kind == .secret ? KustomizationDecoder.secretGenerator : KustomizationDecoder.configMapGenerator
    var entry = Kustomization.Generator(name: "", mark: config.mark)
    try table.decode(config, into: &entry, ignoringUnknown: true)
    if entry.name.isEmpty { entry.name = resource.name }
    if entry.namespace.isEmpty { entry.namespace = resource.namespace }
    var keyValues = KeyValueLoader(loader: context.loader, directory: context.kustomization.directory)
    let pairs = try keyValues.load(entry, kind: kind.rawValue)
    let generated = ResourceGenerator(
      kind: kind, generator: entry, options: entry.options ?? Kustomization.GeneratorOptions()
    ).generate(from: pairs)
    return .generated([LoadedKustomization.Generated(resource: generated, entry: entry)])
  }
}

/// A transformer a plugin configures; patches take the build's schema when the pipeline makes them.
struct PluginTransformer {
  /// Where its configuration was read.
  let mark: Mark
  let make: (OpenAPIDocument?) -> any BuiltinTransformer
  /// What `buildMetadata: [transformerAnnotations]` records for its run.
  var origin: Resource.Origin = .file("")
}

extension String {
  /// The text without leading and trailing spaces, tabs and line breaks.
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[start...end])
  }
}
