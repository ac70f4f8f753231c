/* Closes the C linkage opened by odeme_cplusplus_begin.h. */
}
