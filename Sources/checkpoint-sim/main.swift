import CheckPointSimulator
// Skeleton: the simulator work replaces this.
print("\(SimulatorInfo.name): not implemented yet")
