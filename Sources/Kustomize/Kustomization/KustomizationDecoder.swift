import YAML

/// Reads a kustomization file's node into a `Kustomization`, rejecting what kustomize rejects.
///
/// Driven by tables: `fields` has one row per kustomization key (its name and
/// how it decodes), and each nested type has its own table, so a new field is
/// one row plus its property.
struct KustomizationDecoder {
  /// What has been decoded so far.
  var result: Kustomization
  /// Deprecation notices (kustomize prints them on stderr too), at the key.
  var warnings: [Diagnostic] = []
  /// `apiVersion:`, checked against the kind once both are read.
  var apiVersion: Located<String>?

  init(file: String, directory: String) {
    result = Kustomization(file: file, directory: directory)
  }

  typealias Row = FieldTable<KustomizationDecoder>.Row

  /// Every top-level field kustomize v5.6 knows.
  static let fields = FieldTable<KustomizationDecoder>(
    "kustomization",
    [
      Row("apiVersion") { decoder, value, _ throws(Diagnostic) in
        let apiVersion = try NodeDecoding.optionalString(value, field: "apiVersion") ?? ""
        decoder.apiVersion = Located(apiVersion, mark: value.mark)
        guard
          apiVersion.isEmpty || apiVersion == "kustomize.config.k8s.io/v1beta1"
            || apiVersion == "kustomize.config.k8s.io/v1alpha1"
        else {
          throw Diagnostic(
            value.mark,
            "apiVersion '\(apiVersion)' is not a kustomization's: use kustomize.config.k8s.io/v1beta1 (or v1alpha1 for a Component)"
          )
        }
      },
      Row("kind") { decoder, value, _ throws(Diagnostic) in
        let kind = try NodeDecoding.optionalString(value, field: "kind") ?? ""
        if kind.isEmpty { return }
        guard let decoded = Kustomization.Kind(rawValue: kind) else {
          throw Diagnostic(value.mark, "kind '\(kind)' is not Kustomization or Component")
        }
        decoder.result.kind = decoded
      },
      Row("metadata") { decoder, value, _ throws(Diagnostic) in
        guard let metadata = try NodeDecoding.mapping(value, field: "metadata") else { return }
        try KustomizationDecoder.metadata.decode(metadata, into: &decoder.result)
      },
      Row("resources") { decoder, value, _ throws(Diagnostic) in
        decoder.result.resources += try NodeDecoding.stringList(value, field: "resources")
      },
      Row("bases") { decoder, value, key throws(Diagnostic) in
        decoder.deprecated(key, "list the directories in 'resources'")
        decoder.result.resources += try NodeDecoding.stringList(value, field: "bases")
      },
      Row("components") { decoder, value, _ throws(Diagnostic) in
        decoder.result.components += try NodeDecoding.stringList(value, field: "components")
      },
      Row("namespace") { decoder, value, _ throws(Diagnostic) in
        decoder.result.namespace = try NodeDecoding.locatedString(value, field: "namespace")
      },
      Row("namePrefix") { decoder, value, _ throws(Diagnostic) in
        decoder.result.namePrefix = try NodeDecoding.locatedString(value, field: "namePrefix")
      },
      Row("nameSuffix") { decoder, value, _ throws(Diagnostic) in
        decoder.result.nameSuffix = try NodeDecoding.locatedString(value, field: "nameSuffix")
      },
      Row("commonLabels") { decoder, value, key throws(Diagnostic) in
        decoder.deprecated(key, "use 'labels' (with includeSelectors: true for the same effect)")
        decoder.result.commonLabels = Located(
          try NodeDecoding.stringPairs(value, field: "commonLabels"), mark: value.mark)
      },
      Row("commonAnnotations") { decoder, value, _ throws(Diagnostic) in
        decoder.result.commonAnnotations = Located(
          try NodeDecoding.stringPairs(value, field: "commonAnnotations"), mark: value.mark)
      },
      Row("labels") { decoder, value, _ throws(Diagnostic) in
        decoder.result.labels += try NodeDecoding.items(value, field: "labels", table: KustomizationDecoder.label) {
          Kustomization.Label(pairs: [], includeSelectors: false, includeTemplates: false, fields: [], mark: $0)
        }
      },
      Row("images") { decoder, value, _ throws(Diagnostic) in
        decoder.result.images += try NodeDecoding.items(value, field: "images", table: KustomizationDecoder.image) {
          Kustomization.Image(name: "", mark: $0)
        }
      },
      Row("imageTags") { decoder, value, key throws(Diagnostic) in
        decoder.deprecated(key, "use 'images'")
        decoder.result.images += try NodeDecoding.items(value, field: "imageTags", table: KustomizationDecoder.image) {
          Kustomization.Image(name: "", mark: $0)
        }
      },
      Row("replicas") { decoder, value, _ throws(Diagnostic) in
        decoder.result.replicas += try NodeDecoding.items(value, field: "replicas", table: KustomizationDecoder.replica)
        {
          Kustomization.Replica(name: "", count: 0, mark: $0)
        }
      },
      Row("sortOptions") { decoder, value, _ throws(Diagnostic) in
        decoder.result.sortOptions = try KustomizationDecoder.decodeSortOptions(value)
      },
      Row("configMapGenerator") { decoder, value, _ throws(Diagnostic) in
        for item in try NodeDecoding.list(value, field: "configMapGenerator") {
          decoder.result.configMapGenerator.append(
            try KustomizationDecoder.decodeGenerator(item, field: "configMapGenerator", secret: false))
        }
      },
      Row("secretGenerator") { decoder, value, _ throws(Diagnostic) in
        for item in try NodeDecoding.list(value, field: "secretGenerator") {
          decoder.result.secretGenerator.append(
            try KustomizationDecoder.decodeGenerator(item, field: "secretGenerator", secret: true))
        }
      },
      Row("generatorOptions") { decoder, value, _ throws(Diagnostic) in
        decoder.result.generatorOptions = try KustomizationDecoder.generatorOptions.decode(
          value, field: "generatorOptions", into: Kustomization.GeneratorOptions())
      },
      Row("patches") { decoder, value, _ throws(Diagnostic) in
        for item in try NodeDecoding.list(value, field: "patches") {
          decoder.result.patches.append(try KustomizationDecoder.decodePatch(item, field: "patches"))
        }
      },
      Row("patchesStrategicMerge") { decoder, value, key throws(Diagnostic) in
        decoder.deprecated(key, "use 'patches'")
        decoder.result.patchesStrategicMerge += try NodeDecoding.stringList(value, field: "patchesStrategicMerge")
      },
      Row("patchesJson6902") { decoder, value, key throws(Diagnostic) in
        decoder.deprecated(key, "use 'patches' with a target")
        for item in try NodeDecoding.list(value, field: "patchesJson6902") {
          decoder.result.patchesJson6902.append(try KustomizationDecoder.decodePatch(item, field: "patchesJson6902"))
        }
      },
      Row("replacements") { decoder, value, _ throws(Diagnostic) in
        decoder.result.replacements += try KustomizationDecoder.replacementEntries(value)
      },
      Row("configurations") { decoder, value, _ throws(Diagnostic) in
        decoder.result.configurations += try NodeDecoding.stringList(value, field: "configurations")
      },
      Row("crds") { decoder, value, _ throws(Diagnostic) in
        decoder.result.crds += try NodeDecoding.stringList(value, field: "crds")
      },
      Row("vars") { decoder, value, _ throws(Diagnostic) in
        for item in try NodeDecoding.list(value, field: "vars") { decoder.result.vars.append(try Var.decode(item)) }
      },
      Row("buildMetadata") { decoder, value, _ throws(Diagnostic) in
        decoder.result.buildMetadata = Set(try NodeDecoding.stringList(value, field: "buildMetadata").map(\.value))
      },
      Row("openapi") { decoder, value, _ throws(Diagnostic) in
        guard let map = try NodeDecoding.mapping(value, field: "openapi") else { return }
        try NodeDecoding.checkKeys(map, allowed: ["path", "version"], in: "openapi")
        if NodeDecoding.field(map, "path") != nil && NodeDecoding.field(map, "version") != nil {
          throw Diagnostic(value.mark, "openapi gives both a built-in 'version' and a schema 'path'; give one")
        }
        if let path = NodeDecoding.field(map, "path") {
          decoder.result.openapi = .path(Located(try NodeDecoding.string(path, field: "openapi.path"), mark: path.mark))
        } else if let version = NodeDecoding.field(map, "version") {
          decoder.result.openapi = .version(
            Located(try NodeDecoding.string(version, field: "openapi.version"), mark: version.mark))
        }
      },
      Row("helmCharts") { decoder, value, _ throws(Diagnostic) in
        decoder.result.helmCharts += try NodeDecoding.items(value, field: "helmCharts", table: HelmChart.chart) {
          HelmChart(mark: $0)
        }
      },
      Row("helmGlobals") { decoder, value, _ throws(Diagnostic) in
        var holder = HelmChart(mark: value.mark)
        guard let map = try NodeDecoding.mapping(value, field: "helmGlobals") else { return }
        try HelmChart.globalsTable.decode(map, into: &holder)
        decoder.result.helmGlobals = holder.globals
      },
      // The deprecated form of helmCharts; empty, it is ignored.
      rejected(
        "helmChartInflationGenerator",
        "this deprecated field is not supported: list the chart under 'helmCharts' (with --enable-helm)"),
      Row("generators") { decoder, value, _ throws(Diagnostic) in
        decoder.result.generators += try NodeDecoding.stringList(value, field: "generators")
      },
      Row("transformers") { decoder, value, _ throws(Diagnostic) in
        decoder.result.transformers += try NodeDecoding.stringList(value, field: "transformers")
      },
      Row("validators") { decoder, value, _ throws(Diagnostic) in
        decoder.result.validators += try NodeDecoding.stringList(value, field: "validators")
      },
    ])

  /// `replacements:` entries: each written inline or given by `path`.
  static func replacementEntries(_ value: Node) throws(Diagnostic) -> [Kustomization.ReplacementEntry] {
    var entries: [Kustomization.ReplacementEntry] = []
    for item in try NodeDecoding.list(value, field: "replacements") {
      if let map = item.mapping, let path = map["path"] {
        try NodeDecoding.checkKeys(map, allowed: ["path"], in: "a replacement given by path")
        entries.append(.path(Located(try NodeDecoding.string(path, field: "path"), mark: path.mark)))
      } else {
        entries.append(.inline(try Replacement.decode(item, field: "replacements")))
      }
    }
    return entries
  }

  static func rejected(_ name: String, _ reason: String) -> Row {
    Row(name) { _, value, key throws(Diagnostic) in
      if !KustomizationDecoder.isEmpty(value) { throw Diagnostic(key.mark, "'\(name)': \(reason)") }
    }
  }

  mutating func deprecated(_ key: Scalar, _ advice: String) {
    warnings.append(.warning(key.mark, "'\(key.value)' is deprecated; \(advice)"))
  }

  mutating func decode(_ documents: [Node]) throws(Diagnostic) -> Kustomization {
    let file = result.file
    guard let document = documents.first, !document.isNull else {
      throw Diagnostic(Mark(file: file, line: 1, column: 1), "the kustomization file is empty")
    }
    guard case .mapping(let root) = document else {
      throw Diagnostic(document.mark, "a kustomization must be a map, not \(NodeDecoding.describe(document))")
    }
    try KustomizationDecoder.fields.decode(root, into: &self)
    // Each kind has its own apiVersion (when one is given), as kustomize checks.
    if let apiVersion, !apiVersion.value.isEmpty {
      let expected =
        result.kind == .component ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1"
      if apiVersion.value != expected {
        throw Diagnostic(apiVersion.mark, "apiVersion for \(result.kind.rawValue) should be \(expected)")
      }
    }
    if KustomizationDecoder.holdsNothing(root) {
      throw Diagnostic(Mark(file: file, line: 1, column: 1), "the kustomization file is empty")
    }
    return result
  }

  /// `metadata:`: Kubernetes object metadata, of which kustomize reads nothing; tools may read the name and annotations.
  static let metadata = FieldTable<Kustomization>(
    "metadata",
    [
      Row2("name") { result, value, _ throws(Diagnostic) in
        result.name = try NodeDecoding.optionalString(value, field: "metadata.name")
      },
      Row2("annotations") { result, value, _ throws(Diagnostic) in
        guard case .mapping(let map) = value else { return }
        for entry in map.entries {
          guard case .scalar(let scalar) = entry.value else { continue }
          result.annotationKeys.append(entry.key.value)
          result.annotations.append(Located(scalar.value, mark: scalar.mark))
        }
      },
    ]
      + [
        "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "ownerReferences", "finalizers", "managedFields",
      ].map { name in Row2(name) { _, _, _ in } })

  private typealias Row2 = FieldTable<Kustomization>.Row

  /// One entry of `labels:`.
  static let label = FieldTable<Kustomization.Label>(
    "labels",
    [
      .init("pairs") { label, value, _ throws(Diagnostic) in
        label.pairs = try NodeDecoding.stringPairs(value, field: "labels.pairs")
      },
      .init("includeSelectors") { label, value, _ throws(Diagnostic) in
        label.includeSelectors = try NodeDecoding.bool(value, field: "includeSelectors")
      },
      .init("includeTemplates") { label, value, _ throws(Diagnostic) in
        label.includeTemplates = try NodeDecoding.bool(value, field: "includeTemplates")
      },
      .init("fields") { label, value, _ throws(Diagnostic) in
        for item in try NodeDecoding.list(value, field: "labels.fields") {
          label.fields.append(try FieldSpec.decode(item))
        }
      },
    ])

  /// One entry of `images:` (or `imageTags:`).
  static let image = FieldTable<Kustomization.Image>(
    "images",
    [
      .init("name") { image, value, _ throws(Diagnostic) in
        image.name = try NodeDecoding.optionalString(value, field: "images.name") ?? ""
      },
      .init("newName") { image, value, _ throws(Diagnostic) in
        image.newName = try NodeDecoding.optionalString(value, field: "images.newName")
      },
      .init("newTag") { image, value, _ throws(Diagnostic) in
        image.newTag = try NodeDecoding.optionalString(value, field: "images.newTag")
      },
      .init("digest") { image, value, _ throws(Diagnostic) in
        image.digest = try NodeDecoding.optionalString(value, field: "images.digest")
      },
    ])

  /// One entry of `replicas:`.
  static let replica = FieldTable<Kustomization.Replica>(
    "replicas",
    [
      .init("name") { replica, value, _ throws(Diagnostic) in
        replica.name = try NodeDecoding.optionalString(value, field: "replicas.name") ?? ""
      },
      .init("count") { replica, value, _ throws(Diagnostic) in
        if !value.isNull { replica.count = try NodeDecoding.int(value, field: "replicas.count") }
      },
    ])

  /// One entry of `configMapGenerator:`; a `secretGenerator:` entry also takes `type`.
  static let configMapGenerator = FieldTable<Kustomization.Generator>(
    "configMapGenerator", generatorRows(field: "configMapGenerator"))
  static let secretGenerator = FieldTable<Kustomization.Generator>(
    "secretGenerator",
    generatorRows(field: "secretGenerator") + [
      .init("type") { generator, value, _ throws(Diagnostic) in
        generator.type = try NodeDecoding.optionalString(value, field: "secretGenerator.type")
      }
    ])

  static func generatorRows(field: String) -> [FieldTable<Kustomization.Generator>.Row] {
    [
      .init("name") { generator, value, _ throws(Diagnostic) in
        generator.name = try NodeDecoding.optionalString(value, field: "\(field).name") ?? ""
      },
      .init("namespace") { generator, value, _ throws(Diagnostic) in
        generator.namespace = try NodeDecoding.optionalString(value, field: "\(field).namespace") ?? ""
      },
      .init("behavior") { generator, value, _ throws(Diagnostic) in
        let text = try NodeDecoding.optionalString(value, field: "\(field).behavior") ?? ""
        if text.isEmpty { return }
        guard let behavior = Kustomization.Generator.Behavior(rawValue: text) else {
          throw Diagnostic(value.mark, "behavior must be create, merge or replace, not '\(text)'")
        }
        generator.behavior = behavior
      },
      .init("literals") { generator, value, _ throws(Diagnostic) in
        generator.literals += try NodeDecoding.stringList(value, field: "\(field).literals")
      },
      .init("files") { generator, value, _ throws(Diagnostic) in
        generator.files += try NodeDecoding.stringList(value, field: "\(field).files")
      },
      .init("envs") { generator, value, _ throws(Diagnostic) in
        generator.envs += try NodeDecoding.stringList(value, field: "\(field).envs")
      },
      .init("env") { generator, value, _ throws(Diagnostic) in
        if let env = try NodeDecoding.optionalString(value, field: "\(field).env"), !env.isEmpty {
          generator.envs.append(Located(env, mark: value.mark))
        }
      },
      .init("options") { generator, value, _ throws(Diagnostic) in
        generator.options = try KustomizationDecoder.generatorOptions.decode(
          value, field: "\(field).options", into: Kustomization.GeneratorOptions())
      },
      .init("kvSources") { _, value, key throws(Diagnostic) in
        if !KustomizationDecoder.isEmpty(value) {
          throw Diagnostic(key.mark, "'kvSources' (plugin key-value sources) is not supported")
        }
      },
    ]
  }

  static func decodeGenerator(_ node: Node, field: String, secret: Bool) throws(Diagnostic) -> Kustomization.Generator {
    let table = secret ? secretGenerator : configMapGenerator
    guard let generator = try table.decode(node, field: field, into: Kustomization.Generator(name: "", mark: node.mark))
    else {
      throw NodeDecoding.mismatch(field, node, expected: "a map")
    }
    if generator.name.isEmpty {
      throw Diagnostic(node.mark, "a \(field) entry needs a 'name'")
    }
    return generator
  }

  /// `generatorOptions:` and a generator's `options:`.
  static let generatorOptions = FieldTable<Kustomization.GeneratorOptions>(
    "generator options",
    [
      .init("labels") { options, value, _ throws(Diagnostic) in
        options.labels = try NodeDecoding.stringPairs(value, field: "options.labels")
      },
      .init("annotations") { options, value, _ throws(Diagnostic) in
        options.annotations = try NodeDecoding.stringPairs(value, field: "options.annotations")
      },
      .init("disableNameSuffixHash") { options, value, _ throws(Diagnostic) in
        options.disableNameSuffixHash = try NodeDecoding.bool(value, field: "disableNameSuffixHash")
      },
      .init("immutable") { options, value, _ throws(Diagnostic) in
        options.immutable = try NodeDecoding.bool(value, field: "immutable")
      },
    ])

  /// One entry of `patches:` or `patchesJson6902:`; `options` has a table of its own.
  static func patchTable(field: String) -> FieldTable<Kustomization.Patch> {
    FieldTable(
      field,
      [
        .init("path") { patch, value, _ throws(Diagnostic) in
          patch.path = try NodeDecoding.locatedString(value, field: "\(field).path")
        },
        .init("patch") { patch, value, _ throws(Diagnostic) in
          patch.patch = try NodeDecoding.locatedString(value, field: "\(field).patch")
        },
        .init("target") { patch, value, _ throws(Diagnostic) in
          if !value.isNull { patch.target = try Selector.decode(value, field: "\(field).target") }
        },
        .init("options") { patch, value, _ throws(Diagnostic) in
          guard let options = try NodeDecoding.mapping(value, field: "\(field).options") else { return }
          try patchOptions.decode(options, into: &patch)
        },
      ])
  }

  static let patches = patchTable(field: "patches")
  static let patchesJson6902 = patchTable(field: "patchesJson6902")
  static let patchOptions = FieldTable<Kustomization.Patch>(
    "patch options",
    [
      .init("allowNameChange") { patch, value, key throws(Diagnostic) in
        patch.allowNameChange = try NodeDecoding.bool(value, field: key.value)
      },
      .init("allowKindChange") { patch, value, key throws(Diagnostic) in
        patch.allowKindChange = try NodeDecoding.bool(value, field: key.value)
      },
    ])

  static func decodePatch(_ node: Node, field: String) throws(Diagnostic) -> Kustomization.Patch {
    let table = field == "patches" ? patches : patchesJson6902
    guard let patch = try table.decode(node, field: field, into: Kustomization.Patch(mark: node.mark)) else {
      throw NodeDecoding.mismatch(field, node, expected: "a map")
    }
    let hasPatch = !(patch.patch?.value.isEmpty ?? true)
    let hasPath = !(patch.path?.value.isEmpty ?? true)
    if hasPatch == hasPath {
      throw Diagnostic(
        node.mark, hasPatch ? "a patch may give 'patch' or 'path', not both" : "a patch needs 'patch' or 'path'")
    }
    return patch
  }

  /// `sortOptions:`; `order` is required, and `legacySortOptions` only goes with `legacy`.
  static let sortOptions = FieldTable<Kustomization.SortOptions>(
    "sortOptions",
    [
      .init("order") { options, value, _ throws(Diagnostic) in
        let text = try NodeDecoding.optionalString(value, field: "sortOptions.order") ?? ""
        options.order = Kustomization.SortOptions.Order(rawValue: text) ?? .legacy
        options.orderText = Located(text, mark: value.mark)
      },
      .init("legacySortOptions") { options, value, _ throws(Diagnostic) in
        guard let legacy = try NodeDecoding.mapping(value, field: "legacySortOptions") else { return }
        try legacySortOptions.decode(legacy, into: &options)
      },
    ])

  static let legacySortOptions = FieldTable<Kustomization.SortOptions>(
    "legacySortOptions",
    [
      .init("orderFirst") { options, value, key throws(Diagnostic) in
        options.orderFirst = try NodeDecoding.stringList(value, field: key.value).map(\.value)
      },
      .init("orderLast") { options, value, key throws(Diagnostic) in
        options.orderLast = try NodeDecoding.stringList(value, field: key.value).map(\.value)
      },
    ])

  /// `sortOptions:`, checked only where they count (the top kustomization), as kustomize checks them.
  static func decodeSortOptions(_ node: Node) throws(Diagnostic) -> Kustomization.SortOptions? {
    try sortOptions.decode(node, field: "sortOptions", into: Kustomization.SortOptions(order: .legacy, mark: node.mark))
  }

  /// kustomize calls a kustomization empty when, besides apiVersion and kind,
  /// every field it sets is null or a zero scalar (`namespace: ''`); a map or
  /// a list, even an empty one, counts (`resources: []` builds nothing, quietly).
  static func holdsNothing(_ root: Mapping) -> Bool {
    root.entries.allSatisfy { entry in
      if entry.key.value == "apiVersion" || entry.key.value == "kind" { return true }
      guard case .scalar(let scalar) = entry.value else { return false }
      return scalar.kind == .null || scalar.value.isEmpty
        || (scalar.kind == .bool && scalar.value.lowercased() == "false")
        || (scalar.kind == .int && Int(scalar.value) == 0)
    }
  }

  static func isEmpty(_ node: Node) -> Bool {
    switch node {
    case .scalar(let scalar): scalar.kind == .null || (scalar.kind == .string && scalar.value.isEmpty)
    case .sequence(let sequence): sequence.items.isEmpty
    case .mapping(let mapping): mapping.entries.isEmpty
    }
  }
}
