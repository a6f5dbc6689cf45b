import Testing
import YAML

@testable import Kustomize

/// Loading reads every file a kustomization names; the pipeline after it reads none.
@Suite struct PipelineTests {
  /// A tree that names a file in every field that can: resources, a base, a component,
  /// patches of three kinds, generator sources, replacements, configurations, CRDs, openapi.
  static let tree: [String: String] = [
    "kustomization.yaml": """
    resources: [base, extra.yaml]
    components: [component]
    configurations: [config.yaml]
    crds: [crd.yaml]
    openapi: {path: schema.json}
    patches:
    - path: patch.yaml
    patchesStrategicMerge: [smp.yaml]
    patchesJson6902:
    - target: {version: v1, kind: ConfigMap, name: extra}
      path: json.yaml
    configMapGenerator:
    - name: generated
      files: [data.txt]
      envs: [app.env]
    replacements:
    - path: replacements.yaml
    namePrefix: p-
    """,
    "base/kustomization.yaml": "resources: [cm.yaml]\n",
    "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base}\ndata: {a: \"1\"}\n",
    "extra.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {b: \"2\"}\n",
    "component/kustomization.yaml": "kind: Component\nresources: [s.yaml]\n",
    "component/s.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n",
    "config.yaml": "namePrefix:\n- path: data/prefixed\n  kind: ConfigMap\n",
    "crd.yaml": "{}\n",
    "schema.json": "{\"definitions\": {}}\n",
    "patch.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base}\ndata: {patched: \"yes\"}\n",
    "smp.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {smp: \"yes\"}\n",
    "json.yaml": "[{\"op\": \"add\", \"path\": \"/data/json\", \"value\": \"yes\"}]\n",
    "data.txt": "content\n",
    "app.env": "KEY=value\n",
    "replacements.yaml":
      "source: {kind: ConfigMap, name: base, fieldPath: data.a}\ntargets:\n- select: {kind: ConfigMap, name: extra}\n  fieldPaths: [data.b]\n",
  ]

  @Test func afterLoadingNothingIsRead() throws {
    let loader = Loader(fileSystem: MemoryFileSystem(Self.tree))
    let loaded = try LoadedKustomization.load(directory: ".", loader: loader)
    // The same loaded tree built by a builder whose file system holds nothing at all.
    var empty = Builder(fileSystem: MemoryFileSystem([:]))
    let fromLoaded = String(decoding: try Builder.render(try empty.build(loaded)), as: UTF8.self)
    var builder = Builder(fileSystem: MemoryFileSystem(Self.tree))
    let fromFiles = String(decoding: try Builder.render(try builder.build(".")), as: UTF8.self)
    #expect(fromLoaded == fromFiles)
    for expected in [
      "name: p-base", "name: p-extra", "name: p-s", "patched: \"yes\"", "smp: \"yes\"", "json: \"yes\"",
      "KEY: value", "b: \"1\"",
    ] {
      #expect(fromFiles.contains(expected), "\(expected)")
    }
  }
}
