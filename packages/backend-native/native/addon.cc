// N-API surface: a NativeModel class whose heavy methods run on libuv's worker pool
// (Napi::AsyncWorker) and resolve promises; errors carry a `kind` for typed JS errors.
// The model is an Engine: the CPU Model, or the CUDA one when the plan says `device: "cuda"`.
#include <cblas.h>
#include <napi.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "config.h"
#include "cuda/cuda_engine.h"
#include "model.h"

namespace pretrain {
namespace {

Napi::Error toJsError(Napi::Env env, const std::string& kind, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("kind", Napi::String::New(env, kind));
  return error;
}

/** Runs `work` off the JS thread against a model kept alive by a reference to its wrapper. */
template <typename Result>
class ModelWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<Result(Engine&)>;
  using Convert = std::function<Napi::Value(Napi::Env, const Result&)>;
  ModelWorker(Napi::Env env, Napi::Object owner, std::shared_ptr<Engine> model, Work work, Convert convert)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), model_(std::move(model)),
        work_(std::move(work)), convert_(std::move(convert)) {
    owner_ = Napi::Persistent(owner);
  }
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      result_ = work_(*model_);
    } catch (const ModelError& e) {
      kind_ = e.kind;
      SetError(e.what());
    } catch (const std::exception& e) {
      kind_ = "internal";
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(convert_(Env(), result_)); }
  void OnError(const Napi::Error& e) override {
    deferred_.Reject(toJsError(Env(), kind_, e.Message()).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference owner_;
  std::shared_ptr<Engine> model_;
  Work work_;
  Convert convert_;
  Result result_{};
  std::string kind_;
};

class NativeModel : public Napi::ObjectWrap<NativeModel> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeModel",
                       {InstanceMethod("load", &NativeModel::Load), InstanceMethod("lossSum", &NativeModel::LossSum),
                        InstanceMethod("generate", &NativeModel::Generate),
                        InstanceMethod("lastLogits", &NativeModel::LastLogits),
                        InstanceMethod("cancel", &NativeModel::Cancel),
                        InstanceMethod("release", &NativeModel::Release)});
  }

  explicit NativeModel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeModel>(info) {
    if (info.Length() != 1 || !info[0].IsObject()) {
      throw Napi::TypeError::New(info.Env(), "NativeModel(config) needs a config object");
    }
    const Napi::Object plan = info[0].As<Napi::Object>();
    const Napi::Value device = plan.Get("device");
    const bool cuda = device.IsString() && device.As<Napi::String>().Utf8Value() == "cuda";
    Config config = parseConfig(plan);
    try {
      // CUDA checks its device and cuBLAS here, so a missing one fails the constructor.
      model_ = cuda ? std::shared_ptr<Engine>(makeCudaEngine(std::move(config)))
                    : std::make_shared<Model>(std::move(config));
    } catch (const ModelError& e) {
      throw toJsError(info.Env(), e.kind, e.what());
    } catch (const std::exception& e) {
      // node-addon-api turns only Napi::Error into a JS exception; anything else would abort.
      throw toJsError(info.Env(), "internal", e.what());
    }
  }

 private:
  Engine& open(Napi::Env env) {
    if (!model_) throw toJsError(env, "disposed", "the native model was released");
    return *model_;
  }

  template <typename Result>
  Napi::Value start(const Napi::CallbackInfo& info, typename ModelWorker<Result>::Work work,
                    typename ModelWorker<Result>::Convert convert) {
    open(info.Env());
    auto* worker = new ModelWorker<Result>(info.Env(), Value(), model_, std::move(work), std::move(convert));
    worker->Queue();
    return worker->promise();
  }

  Napi::Value Load(const Napi::CallbackInfo& info) {
    return start<bool>(
        info, [](Engine& m) { m.load(); return true; },
        [](Napi::Env env, const bool&) { return env.Undefined(); });
  }

  // lossSum(tokens: Int32Array, rows, length) → Promise<number>: Σ of next-token losses.
  Napi::Value LossSum(const Napi::CallbackInfo& info) {
    auto tokens = std::make_shared<std::vector<int32_t>>(int32Vector(info[0]));
    const int rows = info[1].As<Napi::Number>().Int32Value();
    const int length = info[2].As<Napi::Number>().Int32Value();
    if (rows < 1 || length < 2 || tokens->size() != static_cast<size_t>(rows) * length) {
      throw toJsError(info.Env(), "usage", "lossSum needs rows × length tokens with length ≥ 2");
    }
    return start<double>(
        info, [tokens, rows, length](Engine& m) { return m.lossSum(tokens->data(), rows, length); },
        [](Napi::Env env, const double& v) { return Napi::Number::New(env, v); });
  }

  // generate(prompt: Int32Array, count, excluded: Int32Array) → Promise<number[]>.
  Napi::Value Generate(const Napi::CallbackInfo& info) {
    auto prompt = std::make_shared<std::vector<int32_t>>(int32Vector(info[0]));
    const int count = info[1].As<Napi::Number>().Int32Value();
    auto excluded = std::make_shared<std::vector<int32_t>>(int32Vector(info[2]));
    if (prompt->empty() || count < 0) throw toJsError(info.Env(), "usage", "generate needs a prompt and a count ≥ 0");
    return start<std::vector<int32_t>>(
        info,
        [prompt, count, excluded](Engine& m) {
          return m.generate(prompt->data(), static_cast<int>(prompt->size()), count, *excluded);
        },
        [](Napi::Env env, const std::vector<int32_t>& tokens) {
          Napi::Array array = Napi::Array::New(env, tokens.size());
          for (size_t i = 0; i < tokens.size(); i++) array.Set(static_cast<uint32_t>(i), Napi::Number::New(env, tokens[i]));
          return array.As<Napi::Value>();
        });
  }

  // lastLogits(tokens: Int32Array) → Promise<Float32Array>: the last position's logits.
  Napi::Value LastLogits(const Napi::CallbackInfo& info) {
    auto tokens = std::make_shared<std::vector<int32_t>>(int32Vector(info[0]));
    if (tokens->empty()) throw toJsError(info.Env(), "usage", "lastLogits needs at least one token");
    return start<std::vector<float>>(
        info, [tokens](Engine& m) { return m.lastLogits(tokens->data(), static_cast<int>(tokens->size())); },
        [](Napi::Env env, const std::vector<float>& logits) {
          Napi::Float32Array array = Napi::Float32Array::New(env, logits.size());
          std::copy(logits.begin(), logits.end(), array.Data());
          return array.As<Napi::Value>();
        });
  }

  Napi::Value Cancel(const Napi::CallbackInfo& info) {
    if (model_) model_->cancel();
    return info.Env().Undefined();
  }

  // Drop this wrapper's share of the model: memory is freed once no worker holds it.
  Napi::Value Release(const Napi::CallbackInfo& info) {
    model_.reset();
    return info.Env().Undefined();
  }

  static std::vector<int32_t> int32Vector(const Napi::Value& value) {
    if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
      throw Napi::TypeError::New(value.Env(), "expected an Int32Array");
    }
    Napi::Int32Array array = value.As<Napi::Int32Array>();
    return std::vector<int32_t>(array.Data(), array.Data() + array.ElementLength());
  }

  std::shared_ptr<Engine> model_;
};

// cudaDevices() → { built, devices, reason }: whether `device: "cuda"` can work here and why not.
Napi::Value CudaDevices(const Napi::CallbackInfo& info) {
  std::string reason;
  const int devices = cudaDevices(reason);
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("built", Napi::Boolean::New(info.Env(), cudaBuilt()));
  result.Set("devices", Napi::Number::New(info.Env(), devices));
  result.Set("reason", Napi::String::New(info.Env(), reason));
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", NativeModel::Define(env));
  exports.Set("blasConfig", Napi::String::New(env, openblas_get_config()));
  exports.Set("blasCores", Napi::Number::New(env, openblas_get_num_procs()));
  exports.Set("cudaBuilt", Napi::Boolean::New(env, cudaBuilt()));
  exports.Set("cudaDevices", Napi::Function::New(env, CudaDevices, "cudaDevices"));
  return exports;
}

}  // namespace
}  // namespace pretrain

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return pretrain::Init(env, exports); }

NODE_API_MODULE(pretrain_native, InitModule)
