// zlib, for the kitty graphics protocol's o=z payloads (TerminalGraphics' KittyEncoder).
#include <zlib.h>
