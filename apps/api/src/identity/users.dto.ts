export const SCOPE = /^(national|province:\d{2}|regency:\d{4}|district:\d{6}|village:\d{10})$/;

export { ReasonDto } from '../http/common.dto';
