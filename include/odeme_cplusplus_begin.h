/* Opens C linkage for include/odeme.h when compiled as C++ (kept out of odeme.h so that
 * PHP FFI::cdef, which skips preprocessor lines, can load odeme.h unchanged). */
extern "C" {
