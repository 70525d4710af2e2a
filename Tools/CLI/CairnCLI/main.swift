import CairnCLIKit

// `cairn`: everything lives in CairnCLIKit; this only runs it and exits with its status.
await Cairn.runAndExit()
