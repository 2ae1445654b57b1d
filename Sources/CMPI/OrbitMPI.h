// The MPI C API for Swift (target CMPI, built only with ORBIT_MPI=1; see Docs/Distributed.md).
//
// Open MPI's predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, MPI_IN_PLACE, ...) are macros that take
// the address of global structs of incomplete type, which Swift cannot import ("cannot reference invalid
// declaration"). These static inline functions return them; Swift imports and calls them. With MPICH the
// handles are integer constants and the same functions work unchanged.
#ifndef ORBIT_MPI_H
#define ORBIT_MPI_H

#include <mpi.h>

static inline MPI_Comm orbit_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype orbit_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype orbit_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype orbit_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype orbit_mpi_uint64(void) { return MPI_UINT64_T; }
static inline MPI_Op orbit_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op orbit_mpi_min(void) { return MPI_MIN; }
static inline MPI_Op orbit_mpi_max(void) { return MPI_MAX; }
static inline void *orbit_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Errhandler orbit_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int orbit_mpi_success(void) { return MPI_SUCCESS; }
static inline int orbit_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int orbit_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

#endif
