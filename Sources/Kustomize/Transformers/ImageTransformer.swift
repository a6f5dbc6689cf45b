import YAML

/// `images:`: rewrites the `image` of every container and init container
/// (and of the fields `configurations:` adds) whose image an entry names, the
/// entries applied in order, each to what the ones before it left.
///
/// kustomize runs one transformer per entry over the whole tree. The effect of
/// an entry on an image depends only on that image, so here the image fields
/// are collected once and each one runs through the entries in order; entries
/// with a plain name are found through an index on the image's name, so the
/// cost grows with the images plus the entries, not their product.
public struct ImageTransformer: BuiltinTransformer {
  public static let kind = "ImageTagTransformer"
  /// One transformer applies every entry; kustomize runs (and records) one per entry.
  public var recordedKinds: [String] { Array(repeating: Self.kind, count: images.count) }
  public var images: [Kustomization.Image]
  /// Image fields beyond the `containers` lists, from `configurations:`.
  public var fieldSpecs: [FieldSpec]
  /// Each entry's matcher; nil for a name that is not a valid regular expression.
  let matchers: [Pattern?]
  /// The first entry whose name is not a valid regular expression: kustomize
  /// fails on it (a crash) once it meets an image, and not before.
  let invalidEntry: Int?
  /// Entries whose name holds no pattern character (not even `.`) nor `:` or `@`, by that name, in order.
  let plainEntries: [String: [Int]]
  /// The other entries, in order: each is tried on every image.
  let patternEntries: [Int]

  public init(images: [Kustomization.Image], fieldSpecs: [FieldSpec] = []) {
    self.images = images
    self.fieldSpecs = fieldSpecs
    var matchers: [Pattern?] = []
    var invalid: Int? = nil
    var plain: [String: [Int]] = [:]
    var patterns: [Int] = []
    for (index, image) in images.enumerated() {
      guard let matcher = Pattern(image.name, tail: .imageTagAndDigest) else {
        matchers.append(nil)
        invalid = invalid ?? index
        continue
      }
      matchers.append(matcher)
      // Without `.`, `:` or `@`, a name matches exactly the images whose name part
      // (tag and digest split off) it equals, so an index finds them.
      if matcher.isPlain && !image.name.contains(where: { $0 == "." || $0 == ":" || $0 == "@" }) {
        plain[image.name, default: []].append(index)
      } else {
        patterns.append(index)
      }
    }
    self.matchers = matchers
    invalidEntry = invalid
    plainEntries = plain
    patternEntries = patterns
  }

  public init(image: Kustomization.Image, fieldSpecs: [FieldSpec] = []) {
    self.init(images: [image], fieldSpecs: fieldSpecs)
  }

  /// The container lists of kustomize's default image field specs: walking one that is
  /// null (`initContainers:` with nothing after it), kustomize makes it an empty list.
  static let containerLists: [[String]] = [
    ["spec", "containers"], ["spec", "initContainers"], ["spec", "template", "spec", "containers"],
    ["spec", "template", "spec", "initContainers"],
  ]

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    guard !images.isEmpty else { return }
    for resource in resources.resources {
      for path in ImageTransformer.containerLists {
        var map: Mapping? = resource.object
        for key in path.dropLast() { map = map?[key]?.mapping }
        if let map, let last = path.last, map[last]?.isNull == true { map[last] = .sequence(SequenceNode()) }
      }
      // Every image field of the resource, with the number of routes that reach it: kustomize
      // applies each entry once per route, so a field two specs reach gets each entry twice.
      var fields: [Field] = []
      var seen: [Field.Key: Int] = [:]
      func reach(_ parent: Mapping, _ index: Int) {
        let key = Field.Key(parent: ObjectIdentifier(parent), index: index)
        if let known = seen[key] {
          fields[known].routes += 1
        } else {
          seen[key] = fields.count
          fields.append(Field(parent: parent, index: index, routes: 1))
        }
      }
      collectContainerImages(.mapping(resource.object), into: reach)
      for spec in fieldSpecs where spec.applies(to: resource.gvk) {
        try spec.visit(resource.object, creating: nil) { (parent, index) throws(Diagnostic) in reach(parent, index) }
      }
      if let invalidEntry, !fields.isEmpty {
        let image = images[invalidEntry]
        throw Diagnostic(
          image.mark,
          "image name '\(image.name)' is not a valid regular expression (with the tag and digest kustomize appends to it)"
        )
      }
      for field in fields {
        guard case .scalar(let scalar) = field.parent.entries[field.index].value,
          let updated = updated(scalar.value, routes: field.routes)
        else { continue }
        field.parent.entries[field.index].value = .scalar(.string(updated, mark: scalar.mark))
      }
    }
  }

  /// One image field: the map that holds it and the entry's index there.
  struct Field {
    struct Key: Hashable {
      var parent: ObjectIdentifier
      var index: Int
    }
    var parent: Mapping
    var index: Int
    var routes: Int
  }

  /// The `image` of every container and init container, wherever they sit in the object.
  private func collectContainerImages(_ node: Node, into reach: (Mapping, Int) -> Void) {
    switch node {
    case .mapping(let mapping):
      for entry in mapping.entries {
        let key = entry.key.value
        if key == "containers" || key == "initContainers", case .sequence(let containers) = entry.value {
          for case .mapping(let container) in containers.items {
            if let index = container.index(of: "image") { reach(container, index) }
          }
        } else {
          collectContainerImages(entry.value, into: reach)
        }
      }
    case .sequence(let sequence):
      for item in sequence.items { collectContainerImages(item, into: reach) }
    case .scalar:
      break
    }
  }

  /// The image after every entry that names it, in order, has rewritten it (once
  /// per route that reaches the field, while it still names it); nil when none does.
  private func updated(_ value: String, routes: Int) -> String? {
    var current = value
    var position = 0
    var changed = false
    while let next = nextEntry(for: current, from: position) {
      current = rewrite(current, with: images[next])
      for _ in 1..<max(routes, 1) where matchers[next]?.matches(current) == true {
        current = rewrite(current, with: images[next])
      }
      position = next + 1
      changed = true
    }
    return changed ? current : nil
  }

  /// The first entry at or after `position` that matches `image`.
  private func nextEntry(for image: String, from position: Int) -> Int? {
    var best: Int? = nil
    if let candidates = plainEntries[ImageReference(image).name] {
      // The candidates are in order; the first at or after `position` that matches.
      var low = 0
      var high = candidates.count
      while low < high {
        let middle = (low + high) / 2
        if candidates[middle] < position { low = middle + 1 } else { high = middle }
      }
      best = candidates[low...].first { matchers[$0]?.matches(image) == true }
    }
    for index in patternEntries where index >= position {
      if let best, index > best { break }
      if matchers[index]?.matches(image) == true {
        best = index
        break
      }
    }
    return best
  }

  /// The reference with one entry's new name, tag and digest.
  private func rewrite(_ value: String, with image: Kustomization.Image) -> String {
    var reference = ImageReference(value)
    if let newName = image.newName, !newName.isEmpty { reference.name = newName }
    let newTag = image.newTag ?? ""
    let digest = image.digest ?? ""
    // A new tag or digest replaces both the old tag and the old digest.
    if !newTag.isEmpty || !digest.isEmpty {
      reference.tag = newTag
      reference.digest = digest
    }
    return reference.description
  }
}

/// An image reference split as kustomize splits it: `name[:tag][@digest]`,
/// where a registry port (`host:5000/app`) stays part of the name.
struct ImageReference: CustomStringConvertible {
  var name: String
  var tag: String
  var digest: String

  init(_ reference: String) {
    let bytes = Array(reference.utf8)
    let searchStart = (bytes.firstIndex(of: UInt8(ascii: "/")).map { $0 > 0 ? $0 : 0 }) ?? 0
    let at = bytes[searchStart...].firstIndex(of: UInt8(ascii: "@"))
    let colon = bytes[searchStart...].firstIndex(of: UInt8(ascii: ":"))
    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
    switch (colon, at) {
    case (nil, nil):
      (name, tag, digest) = (reference, "", "")
    case (let colon?, let at?) where colon < at:
      (name, tag, digest) = (text(0..<colon), text(colon + 1..<at), text(at + 1..<bytes.count))
    case (_, let at?):
      (name, tag, digest) = (text(0..<at), "", text(at + 1..<bytes.count))
    case (let colon?, nil):
      (name, tag, digest) = (text(0..<colon), text(colon + 1..<bytes.count), "")
    }
  }

  var description: String {
    var result = name
    if !tag.isEmpty { result += ":" + tag }
    if !digest.isEmpty { result += "@" + digest }
    return result
  }
}
