// a float32 at or below / above v: moved by more than float32's rounding step at v (|v|·2⁻²³) before rounding,
// so a single-precision box built from these still holds everything the double-precision one did

/** The float32 at or below `v`. */
export const float32Below = (v: number): number => Math.fround(v - (Math.abs(v) * 2 ** -23 + 1e-6));

/** The float32 at or above `v`. */
export const float32Above = (v: number): number => Math.fround(v + (Math.abs(v) * 2 ** -23 + 1e-6));
