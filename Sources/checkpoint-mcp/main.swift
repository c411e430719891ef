import CheckPointAPI
import CheckPointSimulator
import CheckPointTools
import MCPCore
// Skeleton: the core work replaces this with flag parsing and the stdio server.
_ = Toolbox.allSpecs
