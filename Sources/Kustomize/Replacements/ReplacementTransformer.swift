import Foundation
import YAML

/// `replacements:`: copies values between resources, last of a kustomization's transformers.
public struct ReplacementTransformer: BuiltinTransformer {
  public static let kind = "ReplacementTransformer"
  public var replacements: [Replacement]
  public var mark: Mark?
  public var action: String { "replacements" }

  public init(_ replacements: [Replacement], mark: Mark? = nil) {
    self.replacements = replacements
    self.mark = mark
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    for replacement in replacements { try apply(replacement, to: &resources) }
  }

  func apply(_ replacement: Replacement, to resources: inout ResourceMap) throws(Diagnostic) {
    let value = try self.value(of: replacement.source, in: resources)
    for target in replacement.targets {
      guard let select = target.select else {
        throw Diagnostic(target.mark, "a replacement target must say which resources to 'select'")
      }
      let labels = try LabelSelector(select.labelSelector, mark: target.mark)
      let annotations = try LabelSelector(select.annotationSelector, mark: target.mark)
      let rejectLabels = try target.reject.map { (reject) throws(Diagnostic) in
        (
          try LabelSelector(reject.labelSelector, mark: target.mark),
          try LabelSelector(reject.annotationSelector, mark: target.mark)
        )
      }
      for resource in resources.resources(named: select.name.isEmpty ? nil : select.name, where: select.selects) {
        let metadata = resource.metadata
        if !labels.matches(metadata?["labels"]?.mapping) || !annotations.matches(metadata?["annotations"]?.mapping) {
          continue
        }
        let rejectedBySelector = zip(target.reject, rejectLabels).contains { reject, selectors in
          (!reject.labelSelector.isEmpty || !reject.annotationSelector.isEmpty)
            && selectors.0.matches(metadata?["labels"]?.mapping)
            && selectors.1.matches(metadata?["annotations"]?.mapping)
        }
        if rejectedBySelector { continue }
        let ids = resource.allIDs
        if target.reject.contains(where: { reject in reject.hasID && ids.contains(where: reject.selects) }) { continue }
        try resources.update(resource) { (resource) throws(Diagnostic) in
          try copy(value, into: resource, target: target)
        }
      }
    }
  }

  /// The source value, cut by the source's delimiter and index when given.
  func value(of source: Replacement.Source, in resources: ResourceMap) throws(Diagnostic) -> Node {
    let name = source.selector.name
    let matches = resources.resources(named: name.isEmpty ? nil : name, where: source.selector.selects)
    guard matches.count == 1 else {
      throw Diagnostic(
        source.mark,
        matches.isEmpty
          ? "the replacement source selects no resource"
          : "the replacement source selects several resources: "
            + matches.map(\.id.description).joined(separator: ", "))
    }
    let path = FieldPath(source.fieldPath)
    guard let value = path.lookup(in: matches[0].object), !value.isEmptyValue else {
      throw Diagnostic(
        source.mark, "fieldPath '\(source.fieldPath)' is missing in the replacement source \(matches[0].id)")
    }
    guard !source.options.delimiter.isEmpty else { return value }
    guard case .scalar(var scalar) = value else {
      throw Diagnostic(source.mark, "a delimiter can only cut a scalar value")
    }
    let parts = scalar.value.components(separatedBy: source.options.delimiter)
    guard source.options.index >= 0, source.options.index < parts.count else {
      throw Diagnostic(
        source.mark, "options.index \(source.options.index) is out of bounds: the value has \(parts.count) parts")
    }
    scalar.value = parts[source.options.index]
    scalar.kind = .string
    return .scalar(scalar)
  }

  func copy(_ value: Node, into resource: Resource, target: Replacement.Target) throws(Diagnostic) {
    for fieldPath in target.fieldPaths {
      let path = FieldPath(fieldPath)
      let slots = path.targets(in: resource.object, create: target.options.create ? value : nil)
      guard !slots.isEmpty else {
        let what = target.options.create ? "find or create" : "find"
        throw Diagnostic(target.mark, "unable to \(what) field '\(fieldPath)' in replacement target \(resource.id)")
      }
      for slot in slots {
        slot.set(try replaced(slot.value, with: value, options: target.options, at: target.mark))
      }
    }
    // A shared label or annotation written in one place is written in all (see `SharedValue`).
    resource.propagateSharedValues()
  }

  /// Scalars keep their type and take the text (so "3" lands in an integer
  /// field as 3); a created field reads its type from the text; maps and
  /// lists are copied whole.
  func replaced(_ current: Node?, with value: Node, options: Replacement.Options, at mark: Mark) throws(Diagnostic)
    -> Node
  {
    var value = value.deepCopy()
    if !options.delimiter.isEmpty {
      guard case .scalar(let target) = current ?? .scalar(Scalar("", kind: .null)), case .scalar(var source) = value
      else {
        throw Diagnostic(mark, "a delimiter can only be used with scalar values")
      }
      var parts = target.value.components(separatedBy: options.delimiter)
      if options.index < 0 {
        parts.insert(source.value, at: 0)
      } else if options.index >= parts.count {
        parts.append(source.value)
      } else {
        parts[options.index] = source.value
      }
      source.value = parts.joined(separator: options.delimiter)
      value = .scalar(source)
    }
    guard case .scalar(let text) = value, case .scalar(var target)? = current else { return value }
    target.value = text.value
    let read = ScalarResolver.resolveCore(text.value)
    switch target.kind {
    case .null:
      target.kind = read
    case .int, .bool, .float:
      // The field keeps its type, as in the reference, whose output then
      // refuses text of another (an integer may stand for a float).
      guard read == target.kind || (target.kind == .float && read == .int) else {
        throw Diagnostic(
          mark, "the replacement's value does not read as the \(target.kind) the field it replaces holds")
      }
    case .string:
      break
    default:
      if read != target.kind { target.kind = .string }
    }
    target.style = .plain
    return .scalar(target)
  }
}

extension Node {
  /// Missing content for a replacement source: null, an empty string, map or list.
  var isEmptyValue: Bool {
    switch self {
    case .scalar(let scalar): scalar.kind == .null
    case .sequence(let list): list.items.isEmpty
    case .mapping(let map): map.entries.isEmpty
    }
  }
}
