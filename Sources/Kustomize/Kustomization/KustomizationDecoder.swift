import YAML

/// Reads a kustomization file's node into a `Kustomization`, rejecting what kustomize rejects.
struct KustomizationDecoder {
  /// Fields that run code or reach the network, which mrgen never does.
  static let rejected: [String: String] = [
    "helmCharts": "Helm charts are not supported: render the chart to YAML and list the file in 'resources'",
    "helmGlobals": "Helm charts are not supported: render the chart to YAML and list the file in 'resources'",
    "helmChartInflationGenerator": "Helm charts are not supported: render the chart to YAML and list the file in 'resources'",
    "generators": "generator plugins are not supported",
    "transformers": "transformer plugins are not supported",
    "validators": "validator plugins are not supported",
  ]

  /// Every top-level field kustomize v5.6 knows.
  static let fieldNames: [String] =
    [
      "apiVersion", "kind", "metadata", "resources", "bases", "namespace", "namePrefix", "nameSuffix",
      "commonLabels", "commonAnnotations", "labels", "images", "imageTags", "replicas", "sortOptions",
      "configMapGenerator", "secretGenerator", "generatorOptions", "components",
      "patches", "patchesStrategicMerge", "patchesJson6902", "replacements", "configurations", "vars", "buildMetadata", "openapi", "crds",
    ] + rejected.keys.sorted()

  static let metadataFields: Set<String> = [
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
    "ownerReferences", "finalizers", "managedFields",
  ]

  let file: String
  let directory: String
  /// Where deprecation notices go (kustomize prints them on stderr too).
  var warnings: [String] = []

  init(file: String, directory: String) {
    self.file = file
    self.directory = directory
  }

  mutating func decode(_ documents: [Node]) throws(SourceError) -> Kustomization {
    guard let document = documents.first, !document.isNull else {
      throw SourceError(Mark(file: file, line: 1, column: 1), "the kustomization file is empty")
    }
    guard case .mapping(let root) = document else {
      throw SourceError(document.mark, "a kustomization must be a map, not \(NodeDecoding.describe(document))")
    }
    var result = Kustomization(file: file, directory: directory)
    var images: [Kustomization.Image] = []
    for entry in root.entries {
      let key = NodeDecoding.fieldName(entry.key.value, among: KustomizationDecoder.fieldNames)
      let value = entry.value
      switch key {
      case "apiVersion":
        let apiVersion = try NodeDecoding.optionalString(value, field: key) ?? ""
        guard apiVersion.isEmpty || apiVersion == "kustomize.config.k8s.io/v1beta1"
          || apiVersion == "kustomize.config.k8s.io/v1alpha1"
        else {
          throw SourceError(value.mark, "apiVersion '\(apiVersion)' is not a kustomization's: use kustomize.config.k8s.io/v1beta1 (or v1alpha1 for a Component)")
        }
      case "kind":
        let kind = try NodeDecoding.optionalString(value, field: key) ?? ""
        if kind.isEmpty { continue }
        guard let decoded = Kustomization.Kind(rawValue: kind) else {
          throw SourceError(value.mark, "kind '\(kind)' is not Kustomization or Component")
        }
        result.kind = decoded
      case "metadata":
        if let metadata = try NodeDecoding.mapping(value, field: key) {
          try NodeDecoding.checkKeys(metadata, allowed: KustomizationDecoder.metadataFields, in: "metadata")
          if let name = NodeDecoding.field(metadata, "name") {
            result.name = try NodeDecoding.optionalString(name, field: "metadata.name")
          }
          if let annotations = NodeDecoding.field(metadata, "annotations"),
            case .mapping(let map) = annotations
          {
            for entry in map.entries {
              guard case .scalar(let value) = entry.value else { continue }
              result.annotationKeys.append(entry.key.value)
              result.annotations.append(Located(value.value, mark: value.mark))
            }
          }
        }
      case "resources":
        result.resources += try NodeDecoding.stringList(value, field: key)
      case "patches":
        for item in try NodeDecoding.list(value, field: key) {
          result.patches.append(try decodePatch(item, field: key))
        }
      case "openapi":
        guard let map = try NodeDecoding.mapping(value, field: key) else { continue }
        try NodeDecoding.checkKeys(map, allowed: ["path", "version"], in: "openapi")
        if let path = NodeDecoding.field(map, "path") {
          result.openapi = .path(Located(try NodeDecoding.string(path, field: "openapi.path"), mark: path.mark))
        } else if let version = NodeDecoding.field(map, "version") {
          result.openapi = .version(Located(try NodeDecoding.string(version, field: "openapi.version"), mark: version.mark))
        }
      case "buildMetadata":
        result.buildMetadata = Set(try NodeDecoding.stringList(value, field: key).map(\.value))
      case "crds":
        result.crds += try NodeDecoding.stringList(value, field: key)
      case "configurations":
        result.configurations += try NodeDecoding.stringList(value, field: key)
      case "vars":
        for item in try NodeDecoding.list(value, field: key) { result.vars.append(try Var.decode(item)) }
      case "replacements":
        for item in try NodeDecoding.list(value, field: key) {
          if let map = item.mapping, let path = map["path"] {
            try NodeDecoding.checkKeys(map, allowed: ["path"], in: "a replacement given by path")
            result.replacements.append(.path(Located(try NodeDecoding.string(path, field: "path"), mark: path.mark)))
          } else {
            result.replacements.append(.inline(try Replacement.decode(item, field: key)))
          }
        }
      case "patchesJson6902":
        warnings.append("'patchesJson6902' is deprecated; use 'patches' with a target")
        for item in try NodeDecoding.list(value, field: key) {
          result.patchesJson6902.append(try decodePatch(item, field: key))
        }
      case "patchesStrategicMerge":
        warnings.append("'patchesStrategicMerge' is deprecated; use 'patches'")
        result.patchesStrategicMerge += try NodeDecoding.stringList(value, field: key)
      case "components":
        result.components += try NodeDecoding.stringList(value, field: key)
      case "bases":
        warnings.append("'bases' is deprecated; list the directories in 'resources'")
        result.resources += try NodeDecoding.stringList(value, field: key)
      case "namespace":
        result.namespace = try NodeDecoding.optionalString(value, field: key).map { Located($0, mark: value.mark) }
      case "namePrefix":
        result.namePrefix = try NodeDecoding.optionalString(value, field: key).map { Located($0, mark: value.mark) }
      case "nameSuffix":
        result.nameSuffix = try NodeDecoding.optionalString(value, field: key).map { Located($0, mark: value.mark) }
      case "commonLabels":
        warnings.append("'commonLabels' is deprecated; use 'labels' (with includeSelectors: true for the same effect)")
        result.commonLabels = Located(try NodeDecoding.stringPairs(value, field: key), mark: value.mark)
      case "commonAnnotations":
        result.commonAnnotations = Located(try NodeDecoding.stringPairs(value, field: key), mark: value.mark)
      case "labels":
        for item in try NodeDecoding.list(value, field: key) {
          result.labels.append(try decodeLabel(item))
        }
      case "images":
        for item in try NodeDecoding.list(value, field: key) { images.append(try decodeImage(item)) }
      case "imageTags":
        warnings.append("'imageTags' is deprecated; use 'images'")
        for item in try NodeDecoding.list(value, field: key) { images.append(try decodeImage(item)) }
      case "replicas":
        for item in try NodeDecoding.list(value, field: key) { result.replicas.append(try decodeReplica(item)) }
      case "sortOptions":
        result.sortOptions = try decodeSortOptions(value)
      case "configMapGenerator":
        for item in try NodeDecoding.list(value, field: key) {
          result.configMapGenerator.append(try decodeGenerator(item, field: key, secret: false))
        }
      case "secretGenerator":
        for item in try NodeDecoding.list(value, field: key) {
          result.secretGenerator.append(try decodeGenerator(item, field: key, secret: true))
        }
      case "generatorOptions":
        result.generatorOptions = try decodeGeneratorOptions(value)
      default:
        if let reason = KustomizationDecoder.rejected[key] {
          if KustomizationDecoder.isEmpty(value) { continue }
          throw SourceError(entry.key.mark, "'\(key)': \(reason)")
        }
        throw SourceError(entry.key.mark, "unknown field '\(key)' in kustomization")
      }
    }
    result.images = images
    if KustomizationDecoder.holdsNothing(root) {
      throw SourceError(Mark(file: file, line: 1, column: 1), "the kustomization file is empty")
    }
    return result
  }

  /// kustomize calls a kustomization empty when, besides apiVersion and kind,
  /// every field it sets is null or a zero scalar (`namespace: ''`); a map or
  /// a list, even an empty one, counts (`resources: []` builds nothing, quietly).
  static func holdsNothing(_ root: Mapping) -> Bool {
    root.entries.allSatisfy { entry in
      if entry.key.value == "apiVersion" || entry.key.value == "kind" { return true }
      guard case .scalar(let scalar) = entry.value else { return false }
      return scalar.kind == .null || scalar.value.isEmpty || (scalar.kind == .bool && scalar.value.lowercased() == "false")
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

  func decodeLabel(_ node: Node) throws(SourceError) -> Kustomization.Label {
    guard let mapping = try NodeDecoding.mapping(node, field: "labels") else {
      throw NodeDecoding.mismatch("labels", node, expected: "a map")
    }
    try NodeDecoding.checkKeys(mapping, allowed: ["pairs", "includeSelectors", "includeTemplates", "fields"], in: "labels")
    var label = Kustomization.Label(pairs: [], includeSelectors: false, includeTemplates: false, fields: [], mark: node.mark)
    for entry in mapping.entries {
      switch NodeDecoding.fieldName(entry.key.value, among: ["pairs", "includeSelectors", "includeTemplates", "fields"]) {
      case "pairs": label.pairs = try NodeDecoding.stringPairs(entry.value, field: "labels.pairs")
      case "includeSelectors": label.includeSelectors = try NodeDecoding.bool(entry.value, field: "includeSelectors")
      case "includeTemplates": label.includeTemplates = try NodeDecoding.bool(entry.value, field: "includeTemplates")
      default:
        for item in try NodeDecoding.list(entry.value, field: "labels.fields") {
          label.fields.append(try FieldSpec.decode(item))
        }
      }
    }
    return label
  }

  func decodeImage(_ node: Node) throws(SourceError) -> Kustomization.Image {
    guard let mapping = try NodeDecoding.mapping(node, field: "images") else {
      throw NodeDecoding.mismatch("images", node, expected: "a map")
    }
    try NodeDecoding.checkKeys(mapping, allowed: ["name", "newName", "newTag", "digest"], in: "images")
    var image = Kustomization.Image(name: "", mark: node.mark)
    for entry in mapping.entries {
      let value = try NodeDecoding.optionalString(entry.value, field: "images.\(entry.key.value)")
      switch NodeDecoding.fieldName(entry.key.value, among: ["name", "newName", "newTag", "digest"]) {
      case "name": image.name = value ?? ""
      case "newName": image.newName = value
      case "newTag": image.newTag = value
      default: image.digest = value
      }
    }
    return image
  }

  func decodeReplica(_ node: Node) throws(SourceError) -> Kustomization.Replica {
    guard let mapping = try NodeDecoding.mapping(node, field: "replicas") else {
      throw NodeDecoding.mismatch("replicas", node, expected: "a map")
    }
    try NodeDecoding.checkKeys(mapping, allowed: ["name", "count"], in: "replicas")
    var replica = Kustomization.Replica(name: "", count: 0, mark: node.mark)
    for entry in mapping.entries {
      if NodeDecoding.fieldName(entry.key.value, among: ["name", "count"]) == "name" {
        replica.name = try NodeDecoding.optionalString(entry.value, field: "replicas.name") ?? ""
      } else if !entry.value.isNull {
        replica.count = try NodeDecoding.int(entry.value, field: "replicas.count")
      }
    }
    return replica
  }

  static let generatorFields = [
    "name", "namespace", "behavior", "literals", "files", "envs", "env", "options", "kvSources",
  ]

  func decodeGenerator(_ node: Node, field: String, secret: Bool) throws(SourceError) -> Kustomization.Generator {
    guard let mapping = try NodeDecoding.mapping(node, field: field) else {
      throw NodeDecoding.mismatch(field, node, expected: "a map")
    }
    let allowed = KustomizationDecoder.generatorFields + (secret ? ["type"] : [])
    try NodeDecoding.checkKeys(mapping, allowed: Set(allowed), in: field)
    var generator = Kustomization.Generator(name: "", mark: node.mark)
    for entry in mapping.entries {
      let key = NodeDecoding.fieldName(entry.key.value, among: allowed)
      let value = entry.value
      switch key {
      case "name": generator.name = try NodeDecoding.optionalString(value, field: "\(field).name") ?? ""
      case "namespace": generator.namespace = try NodeDecoding.optionalString(value, field: "\(field).namespace") ?? ""
      case "behavior":
        let text = try NodeDecoding.optionalString(value, field: "\(field).behavior") ?? ""
        if text.isEmpty { continue }
        guard let behavior = Kustomization.Generator.Behavior(rawValue: text) else {
          throw SourceError(value.mark, "behavior must be create, merge or replace, not '\(text)'")
        }
        generator.behavior = behavior
      case "literals": generator.literals += try NodeDecoding.stringList(value, field: "\(field).literals")
      case "files": generator.files += try NodeDecoding.stringList(value, field: "\(field).files")
      case "envs": generator.envs += try NodeDecoding.stringList(value, field: "\(field).envs")
      case "env":
        if let env = try NodeDecoding.optionalString(value, field: "\(field).env"), !env.isEmpty {
          generator.envs.append(Located(env, mark: value.mark))
        }
      case "type": generator.type = try NodeDecoding.optionalString(value, field: "\(field).type")
      case "options": generator.options = try decodeGeneratorOptions(value)
      default:
        if !KustomizationDecoder.isEmpty(value) {
          throw SourceError(entry.key.mark, "'kvSources' (plugin key-value sources) is not supported")
        }
      }
    }
    if generator.name.isEmpty {
      throw SourceError(node.mark, "a \(field) entry needs a 'name'")
    }
    return generator
  }

  func decodePatch(_ node: Node, field: String) throws(SourceError) -> Kustomization.Patch {
    guard let mapping = try NodeDecoding.mapping(node, field: field) else {
      throw NodeDecoding.mismatch(field, node, expected: "a map")
    }
    let allowed = ["path", "patch", "target", "options"]
    try NodeDecoding.checkKeys(mapping, allowed: Set(allowed), in: field)
    var patch = Kustomization.Patch(mark: node.mark)
    for entry in mapping.entries {
      let value = entry.value
      switch NodeDecoding.fieldName(entry.key.value, among: allowed) {
      case "path":
        patch.path = try NodeDecoding.optionalString(value, field: "\(field).path").map { Located($0, mark: value.mark) }
      case "patch":
        patch.patch = try NodeDecoding.optionalString(value, field: "\(field).patch").map { Located($0, mark: value.mark) }
      case "target":
        if !value.isNull { patch.target = try Selector.decode(value, field: "\(field).target") }
      default:
        guard let options = try NodeDecoding.mapping(value, field: "\(field).options") else { continue }
        let names = ["allowNameChange", "allowKindChange"]
        try NodeDecoding.checkKeys(options, allowed: Set(names), in: "patch options")
        for option in options.entries {
          let flag = try NodeDecoding.bool(option.value, field: option.key.value)
          if NodeDecoding.fieldName(option.key.value, among: names) == "allowNameChange" {
            patch.allowNameChange = flag
          } else {
            patch.allowKindChange = flag
          }
        }
      }
    }
    let hasPatch = !(patch.patch?.value.isEmpty ?? true)
    let hasPath = !(patch.path?.value.isEmpty ?? true)
    if hasPatch == hasPath {
      throw SourceError(node.mark, hasPatch ? "a patch may give 'patch' or 'path', not both" : "a patch needs 'patch' or 'path'")
    }
    return patch
  }

  func decodeGeneratorOptions(_ node: Node) throws(SourceError) -> Kustomization.GeneratorOptions? {
    guard let mapping = try NodeDecoding.mapping(node, field: "options") else { return nil }
    let allowed = ["labels", "annotations", "disableNameSuffixHash", "immutable"]
    try NodeDecoding.checkKeys(mapping, allowed: Set(allowed), in: "generator options")
    var options = Kustomization.GeneratorOptions()
    for entry in mapping.entries {
      switch NodeDecoding.fieldName(entry.key.value, among: allowed) {
      case "labels": options.labels = try NodeDecoding.stringPairs(entry.value, field: "options.labels")
      case "annotations": options.annotations = try NodeDecoding.stringPairs(entry.value, field: "options.annotations")
      case "disableNameSuffixHash":
        options.disableNameSuffixHash = try NodeDecoding.bool(entry.value, field: "disableNameSuffixHash")
      default: options.immutable = try NodeDecoding.bool(entry.value, field: "immutable")
      }
    }
    return options
  }

  func decodeSortOptions(_ node: Node) throws(SourceError) -> Kustomization.SortOptions? {
    guard let mapping = try NodeDecoding.mapping(node, field: "sortOptions") else { return nil }
    try NodeDecoding.checkKeys(mapping, allowed: ["order", "legacySortOptions"], in: "sortOptions")
    var options = Kustomization.SortOptions(order: .legacy, mark: node.mark)
    var orderGiven = false
    for entry in mapping.entries {
      if NodeDecoding.fieldName(entry.key.value, among: ["order", "legacySortOptions"]) == "order" {
        let text = try NodeDecoding.optionalString(entry.value, field: "sortOptions.order") ?? ""
        guard let order = Kustomization.SortOptions.Order(rawValue: text) else {
          throw SourceError(entry.value.mark, "the sort order must be 'legacy' or 'fifo', not '\(text)'")
        }
        options.order = order
        orderGiven = true
      } else if let legacy = try NodeDecoding.mapping(entry.value, field: "legacySortOptions") {
        try NodeDecoding.checkKeys(legacy, allowed: ["orderFirst", "orderLast"], in: "legacySortOptions")
        for item in legacy.entries {
          let kinds = try NodeDecoding.stringList(item.value, field: item.key.value).map(\.value)
          if NodeDecoding.fieldName(item.key.value, among: ["orderFirst", "orderLast"]) == "orderFirst" { options.orderFirst = kinds } else { options.orderLast = kinds }
        }
      }
    }
    if !orderGiven {
      throw SourceError(node.mark, "sortOptions needs an 'order' (legacy or fifo)")
    }
    if options.order == .fifo, options.orderFirst != nil || options.orderLast != nil {
      throw SourceError(node.mark, "legacySortOptions may only be given with order 'legacy'")
    }
    return options
  }
}
