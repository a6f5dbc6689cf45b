/// Where the files a kustomization names may lie, as kustomize's `--load-restrictor` says.
public enum LoadRestriction: String, Sendable, CaseIterable {
  /// In or below the kustomization's own directory (the default).
  case rootOnly = "LoadRestrictionsRootOnly"
  /// Anywhere; still only regular files, each read once its path is resolved.
  case none = "LoadRestrictionsNone"
}
