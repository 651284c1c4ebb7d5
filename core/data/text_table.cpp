// scaffolding: being written
#include "data/load.h"
#include "data/write.h"
