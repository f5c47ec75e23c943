// The pure domain engine of jixiao, in one import. No I/O, no React: runs on the server,
// in the browser and in the command line.
export * from "./decimal";
export * from "./taxonomy";
export * from "./values";
export * from "./rules";
export * from "./scoring";
export * from "./monitoring";
export * from "./workflow";
