/** The doctor: the attribution plumbing, checked item by item. */
export * from "./item";
export * from "./tag-activation";
export * from "./cur-export";
export * from "./spend-routes";
export * from "./invokers";
export * from "./report";
