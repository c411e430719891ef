/// A Check Point look-alike over loopback HTTP/1.1. (Skeleton: the simulator work fills this module.)
public enum SimulatorInfo {
    public static let name = "checkpoint-sim"
}
