import Fuzzing

#if FUZZING
  /// The executable's entry (SwiftPM names it so), handing `FuzzChecks.yamlRoundTrip` to libFuzzer.
  @_cdecl("fuzz_yaml_main")
  func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzChecks.yamlRoundTrip)
  }
#else
  /// Without the fuzzer: runs each input file given once (the cases `scripts/fuzz` keeps).
  @main struct Replay {
    static func main() {
      FuzzDriver.replayArguments(FuzzChecks.yamlRoundTrip)
    }
  }
#endif
