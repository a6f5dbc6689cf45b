// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "mrgen",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "mrgen", targets: ["mrgen"]),
    .library(name: "Kustomize", targets: ["Kustomize"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
  ],
  targets: [
    // libyaml, reached only through the YAML target.
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    // RE2 (Go's regular expressions, as kustomize matches names), through a small C face.
    .target(name: "CRE2", linkerSettings: [.linkedLibrary("re2")]),
    // Nodes with source marks, the parser and the kustomize-compatible emitter.
    .target(name: "YAML", dependencies: ["CYAML"]),
    // The engine: kustomizations, resources, loader, transformers, build pipeline.
    .target(name: "Kustomize", dependencies: ["YAML", "CRE2", .product(name: "Crypto", package: "swift-crypto")]),
    // The Model Registry tree's catalog: options, their rules, composition.
    .target(name: "ModelRegistry", dependencies: ["Kustomize", "YAML"]),
    // What mrgen writes: the stream to stdout, -o FILE and -o DIR without
    // half-written files, and unified diffs against golden files.
    .target(name: "Output", dependencies: ["Kustomize", "YAML"]),
    // The command line.
    .executableTarget(
      name: "mrgen",
      dependencies: [
        "Kustomize", "ModelRegistry", "Output", "YAML",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Fuzzing: the properties checked on any input, and two libFuzzer targets
    // (`scripts/fuzz` builds them with -sanitize=fuzzer; a plain build replays inputs).
    .target(name: "Fuzzing", dependencies: ["Kustomize", "YAML"]),
    .executableTarget(name: "fuzz-yaml", dependencies: ["Fuzzing"]),
    .executableTarget(name: "fuzz-build", dependencies: ["Fuzzing"]),
    .testTarget(name: "YAMLTests", dependencies: ["YAML"], resources: [.copy("Fixtures")]),
    .testTarget(name: "KustomizeTests", dependencies: ["Kustomize", "Output", "YAML"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "ModelRegistryTests", dependencies: ["ModelRegistry", "Kustomize", "YAML"], exclude: ["Goldens"]),
    .testTarget(name: "OutputTests", dependencies: ["Output", "Kustomize", "YAML"]),
    .testTarget(name: "mrgenTests", dependencies: ["mrgen"], resources: [.copy("Fixtures")]),
  ],
  swiftLanguageModes: [.v6],
  cxxLanguageStandard: .cxx17
)
