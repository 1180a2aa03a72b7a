// The one translation unit that compiles Asio, Asio's TLS layer and Beast (separate compilation:
// see SLUICE_ASIO_DEFINITIONS in cmake/Sluice.cmake). Nothing else belongs here.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
