import YAML

/// A value with the place in a kustomization file it came from.
public struct Located<Value: Sendable>: Sendable {
  public var value: Value
  public var mark: Mark

  public init(_ value: Value, mark: Mark) {
    self.value = value
    self.mark = mark
  }
}

/// Ordered string pairs, as labels and annotations are written in a kustomization.
public typealias StringPairs = [(key: String, value: String)]
