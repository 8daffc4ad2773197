package bankfile_test

// cfonbSeed is the first statement of package cfonb's reference example.
const cfonbSeed = "0130006    00001EUR2 12345678901  280226                                                  0000000010000{                \r\n" +
	"0430006    00001EUR2 1234567890105050326  050326VIR SEPA RECU ACME SA            0000000000000000012345FINV-2026-0042   \r\n" +
	"0530006    00001EUR2 1234567890105050326     NPYACME SA                                                                 \r\n" +
	"0530006    00001EUR2 1234567890105050326     RCNE2E-REF-0001                                                            \r\n" +
	"0530006    00001EUR2 1234567890105050326     LCCFACTURE 2026-0042                                                       \r\n" +
	"0430006    00001EUR2 12345678901B1060326  060326PRLV SEPA EDF                    0000000000000000000459}                \r\n" +
	"0530006    00001EUR2 12345678901B1060326     NBEEDF                                                                     \r\n" +
	"0530006    00001EUR2 12345678901B1060326     RUMMANDATE-123                        RCUR                                 \r\n" +
	"0430006    00001EUR2 1234567890111070326  070326CB CARREFOUR 06/03               0000000000000000000123M                \r\n" +
	"0730006    00001EUR2 12345678901  310326                                                  0000000021763B                \r\n"
