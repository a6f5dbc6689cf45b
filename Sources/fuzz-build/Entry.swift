import Fuzzing

#if FUZZING
  /// One input, as libFuzzer calls it.
  func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    if let failure = FuzzChecks.build(Array(UnsafeBufferPointer(start: data, count: size))) {
      fatalError(failure)
    }
    return 0
  }

  @_silgen_name("LLVMFuzzerRunDriver")
  func runFuzzer(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
  ) -> Int32

  /// The executable's entry (SwiftPM names it so), handing over to libFuzzer's driver
  /// (built with `scripts/fuzz`: `-sanitize=fuzzer,address -D FUZZING`).
  @_cdecl("fuzz_build_main")
  func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzer(&count, &arguments) { data, size in fuzzOneInput(data, size) }
  }
#else
  import Foundation

  /// Without the fuzzer: runs each input file given (crashes kept by `scripts/fuzz`) once.
  @main struct Replay {
    static func main() {
      var failures = 0
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          print("\(path): cannot read")
          failures += 1
          continue
        }
        if let failure = FuzzChecks.build(Array(data)) {
          print("\(path): \(failure)")
          failures += 1
        }
      }
      exit(failures == 0 ? 0 : 1)
    }
  }
#endif
