#ifndef FEDPLAN_CLDNS_SHIM_H
#define FEDPLAN_CLDNS_SHIM_H
#include <stdio.h>
#include <ldns/ldns.h>
#endif
