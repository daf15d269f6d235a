/* SPDX-License-Identifier: GPL-2.0 */
/* umnet node (cmd_node.c), umnet lab export and lab test --engine (cmd_kube.c) */
#ifndef UMNET_CMD_KUBE_H
#define UMNET_CMD_KUBE_H

int node_main(int argc, char *argv[]);
int lab_export_main(int argc, char *argv[]);
int lab_test_engine_main(int argc, char *argv[]);

#endif
