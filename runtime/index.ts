// placeholder, replaced by the runtime
export {};
