// scaffolding: replaced by the binary-formats work
#include "data/load.h"
#include "data/write.h"
